using System.Net;

namespace Steadfast.Tests.Errors;

public class ErrorClassifierTests
{
    [Theory]
    [InlineData(408, ErrorCategory.Timeout, true)]
    [InlineData(429, ErrorCategory.RateLimited, true)]
    [InlineData(401, ErrorCategory.Authentication, false)]
    [InlineData(403, ErrorCategory.Authentication, false)]
    [InlineData(404, ErrorCategory.NotFound, false)]
    [InlineData(400, ErrorCategory.InvalidInput, false)]
    [InlineData(422, ErrorCategory.InvalidInput, false)]
    [InlineData(500, ErrorCategory.ServerError, true)]
    [InlineData(503, ErrorCategory.ServerError, true)]
    [InlineData(504, ErrorCategory.Timeout, true)]
    public void Classify_ServiceStatusCode_MapsToCategoryAndTransience(int status, ErrorCategory expected, bool transient)
    {
        var ex = new ServiceException("boom", status);

        Assert.Equal(expected, ErrorClassifier.Classify(ex));
        Assert.Equal(transient, ErrorClassifier.IsTransient(ex));
    }

    [Fact]
    public void Classify_HttpRequestExceptionWithStatus_UsesStatus()
    {
        var ex = new HttpRequestException("nope", null, HttpStatusCode.NotFound);

        Assert.Equal(ErrorCategory.NotFound, ErrorClassifier.Classify(ex));
        Assert.False(ErrorClassifier.IsTransient(ex));
    }

    [Fact]
    public void Classify_HttpRequestExceptionWithoutStatus_IsNetworkAndTransient()
    {
        var ex = new HttpRequestException("connection refused");

        Assert.Equal(ErrorCategory.Network, ErrorClassifier.Classify(ex));
        Assert.True(ErrorClassifier.IsTransient(ex));
    }

    [Theory]
    [InlineData(typeof(TimeoutException), ErrorCategory.Timeout)]
    [InlineData(typeof(ArgumentException), ErrorCategory.InvalidInput)]
    [InlineData(typeof(ArgumentNullException), ErrorCategory.InvalidInput)]
    [InlineData(typeof(UnauthorizedAccessException), ErrorCategory.Authentication)]
    [InlineData(typeof(KeyNotFoundException), ErrorCategory.NotFound)]
    [InlineData(typeof(FileNotFoundException), ErrorCategory.NotFound)]
    [InlineData(typeof(IOException), ErrorCategory.Network)]
    [InlineData(typeof(InvalidOperationException), ErrorCategory.Unknown)]
    public void Classify_ByExceptionType(Type type, ErrorCategory expected)
    {
        var ex = (Exception)Activator.CreateInstance(type)!;

        Assert.Equal(expected, ErrorClassifier.Classify(ex));
    }

    [Fact]
    public void Classify_UnknownTypeWithTelltaleName_UsesName()
    {
        Assert.Equal(ErrorCategory.RateLimited, ErrorClassifier.Classify(new ThrottledByUpstreamException()));
    }

    [Fact]
    public void Classify_DataStatusCode_IsRead()
    {
        var ex = new InvalidOperationException("x");
        ex.Data[ErrorClassifier.StatusCodeDataKey] = 429;

        Assert.Equal(ErrorCategory.RateLimited, ErrorClassifier.Classify(ex));
    }

    [Fact]
    public void Classify_CircuitOpen_IsCircuitOpenAndTransient()
    {
        var ex = new CircuitOpenException("svc", CircuitState.Open, TimeSpan.FromSeconds(3));

        Assert.Equal(ErrorCategory.CircuitOpen, ErrorClassifier.Classify(ex));
        Assert.True(ErrorClassifier.IsTransient(ex));
    }

    [Fact]
    public void Classify_RateLimitRejected_IsRecognisedByTypeNotByName()
    {
        // By its name ("Quota") this type would be filed as ResourceExhausted; by its base type it is a rate limit.
        var ex = new QuotaRefusedException();

        Assert.Equal(ErrorCategory.RateLimited, ErrorClassifier.Classify(ex));
        Assert.Equal(ErrorCategory.RateLimited, ErrorClassifier.Classify(new RateLimitRejectedException("api", TimeSpan.FromSeconds(1))));
    }

    [Fact]
    public void Classify_AnotherExecutionRejection_IsCircuitOpen()
    {
        Assert.Equal(ErrorCategory.CircuitOpen, ErrorClassifier.Classify(new DrainingRefusalException()));
    }

    [Fact]
    public void Classify_PollyRejections_AreRecognised()
    {
        Assert.Equal(ErrorCategory.Timeout, ErrorClassifier.Classify(new Polly.Timeout.TimeoutRejectedException()));
        Assert.Equal(ErrorCategory.RateLimited, ErrorClassifier.Classify(new Polly.RateLimiting.RateLimiterRejectedException()));
        Assert.Equal(ErrorCategory.CircuitOpen, ErrorClassifier.Classify(new Polly.CircuitBreaker.BrokenCircuitException()));
    }

    [Fact]
    public void Rejections_ShareExecutionRejectedException_WhileATimeoutStaysATimeoutException()
    {
        Exception[] rejections = [new CircuitOpenException("svc", CircuitState.Open, null), new RateLimitRejectedException("api", null)];
        Assert.All(rejections, r => Assert.IsAssignableFrom<ExecutionRejectedException>(r));

        Exception timeout = new OperationTimeoutException("op", TimeSpan.FromSeconds(1));
        Assert.IsAssignableFrom<TimeoutException>(timeout);
        Assert.False(timeout is ExecutionRejectedException);
    }

    [Fact]
    public void TryGetRetryAfter_FromHintInnerOrData_Found()
    {
        Assert.True(ErrorClassifier.TryGetRetryAfter(new ServiceException("slow down", 429, TimeSpan.FromSeconds(7)), out var a));
        Assert.Equal(TimeSpan.FromSeconds(7), a);

        var wrapped = new InvalidOperationException("outer", new CircuitOpenException("svc", CircuitState.Open, TimeSpan.FromSeconds(2)));
        Assert.True(ErrorClassifier.TryGetRetryAfter(wrapped, out var b));
        Assert.Equal(TimeSpan.FromSeconds(2), b);

        var data = new InvalidOperationException("x");
        data.Data[ErrorClassifier.RetryAfterDataKey] = 5;
        Assert.True(ErrorClassifier.TryGetRetryAfter(data, out var c));
        Assert.Equal(TimeSpan.FromSeconds(5), c);
    }

    [Fact]
    public void TryGetRetryAfter_NoHint_NotFound()
    {
        Assert.False(ErrorClassifier.TryGetRetryAfter(new ServiceException("boom", 500), out var none));
        Assert.Equal(TimeSpan.Zero, none);
    }

    private sealed class ThrottledByUpstreamException : Exception;

    private sealed class QuotaRefusedException() : RateLimitRejectedException("quota", null);

    private sealed class DrainingRefusalException() : ExecutionRejectedException("The node is draining.");
}
