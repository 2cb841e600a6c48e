using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Errors;

public class HttpResponseExtensionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.NoContent)]
    [InlineData((HttpStatusCode)299)]
    public void FromResponse_SuccessStatus_ReturnsNull(HttpStatusCode status)
    {
        using var response = new HttpResponseMessage(status);
        Assert.Null(ServiceException.FromResponse(response));
        Assert.Same(response, response.EnsureSuccessOrThrowServiceException());
    }

    [Fact]
    public void FromResponse_503WithDeltaRetryAfter_CarriesStatusAndHint()
    {
        using var response = Response(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(30));

        var ex = ServiceException.FromResponse(response, _time)!;

        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
        Assert.True(ErrorClassifier.TryGetRetryAfter(ex, out var hint));
        Assert.Equal(TimeSpan.FromSeconds(30), hint);
        Assert.Equal(ErrorCategory.ServerError, ErrorClassifier.Classify(ex));
        Assert.True(ErrorClassifier.IsTransient(ex));
    }

    [Fact]
    public void FromResponse_429WithHttpDateRetryAfter_MeasuresItAgainstTheTimeProvider()
    {
        using var response = Response(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(90));

        var ex = ServiceException.FromResponse(response, _time)!;

        Assert.Equal(429, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(90), ex.RetryAfter);
        Assert.Equal(ErrorCategory.RateLimited, ErrorClassifier.Classify(ex));
        Assert.True(ErrorClassifier.IsTransient(ex));
    }

    [Fact]
    public void FromResponse_RawHeaderAsReceived_IsParsedBothWays()
    {
        using var delta = Response(HttpStatusCode.ServiceUnavailable);
        Assert.True(delta.Headers.TryAddWithoutValidation("Retry-After", "120"));
        using var date = Response(HttpStatusCode.ServiceUnavailable);
        Assert.True(date.Headers.TryAddWithoutValidation("Retry-After", "Sat, 31 Jan 2026 12:00:45 GMT"));

        Assert.Equal(TimeSpan.FromSeconds(120), ServiceException.FromResponse(delta, _time)!.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(45), ServiceException.FromResponse(date, _time)!.RetryAfter);
    }

    [Fact]
    public void FromResponse_DateInThePast_GivesZero()
    {
        using var response = Response(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddMinutes(-5));

        Assert.Equal(TimeSpan.Zero, ServiceException.FromResponse(response, _time)!.RetryAfter);
    }

    [Fact]
    public void FromResponse_MissingHeader_HasNoHint()
    {
        using var response = Response(HttpStatusCode.BadGateway);

        var ex = ServiceException.FromResponse(response, _time)!;

        Assert.Equal(502, ex.StatusCode);
        Assert.Null(ex.RetryAfter);
        Assert.False(ErrorClassifier.TryGetRetryAfter(ex, out _));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("Someday, 99 Foo 2026")]
    public void FromResponse_MalformedHeader_HasNoHint(string value)
    {
        using var response = Response(HttpStatusCode.ServiceUnavailable);
        Assert.True(response.Headers.TryAddWithoutValidation("Retry-After", value));

        var ex = ServiceException.FromResponse(response, _time)!;

        Assert.Equal(503, ex.StatusCode);
        Assert.Null(ex.RetryAfter);
    }

    [Fact]
    public void FromResponse_Message_NamesStatusRequestAndWaitWithoutSecrets()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            RequestMessage = new HttpRequestMessage(HttpMethod.Get, "https://alice:hunter2@api.example.com/v1/weather?city=Oslo&api_key=s3cr3t&sig=abc123#frag"),
        };
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));

        var message = ServiceException.FromResponse(response, _time)!.Message;

        Assert.Equal("HTTP 503 (Service Unavailable) from GET https://api.example.com/v1/weather?city=Oslo&api_key=[REDACTED]&sig=[REDACTED]; retry after 2 s.", message);
    }

    [Fact]
    public void FromResponse_RelativeUriAndNoReason_AreDescribedToo()
    {
        using var withRelative = new HttpResponseMessage(HttpStatusCode.Unauthorized)
        {
            RequestMessage = new HttpRequestMessage(HttpMethod.Post, new Uri("/token?client_secret=xyz&scope=read", UriKind.Relative)),
        };
        using var bare = new HttpResponseMessage((HttpStatusCode)599) { ReasonPhrase = null };

        Assert.Equal("HTTP 401 (Unauthorized) from POST /token?client_secret=[REDACTED]&scope=read.", ServiceException.FromResponse(withRelative)!.Message);
        Assert.Equal("HTTP 599.", ServiceException.FromResponse(bare)!.Message);
    }

    [Fact]
    public void EnsureSuccessOrThrowServiceException_Failure_ThrowsWithStatusAndHint()
    {
        using var response = Response(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        var ex = Assert.Throws<ServiceException>(() => response.EnsureSuccessOrThrowServiceException(_time));

        Assert.Equal(429, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
    }

    private static HttpResponseMessage Response(HttpStatusCode status) => new(status)
    {
        RequestMessage = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/weather"),
    };
}
