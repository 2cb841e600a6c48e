using System.Net;

namespace Steadfast.AI.Tests.Chat;

public sealed class ChatErrorClassifierTests
{
    public static TheoryData<Exception, ChatErrorKind> Cases() => new()
    {
        { new HttpRequestException("x", null, HttpStatusCode.TooManyRequests), ChatErrorKind.RateLimited },
        { new HttpRequestException("x", null, HttpStatusCode.ServiceUnavailable), ChatErrorKind.ServerError },
        { new HttpRequestException("x", null, HttpStatusCode.InternalServerError), ChatErrorKind.ServerError },
        { new TimeoutException("slow"), ChatErrorKind.Timeout },
        { new HttpRequestException("x", null, HttpStatusCode.Unauthorized), ChatErrorKind.Authentication },
        { new HttpRequestException("x", null, HttpStatusCode.Forbidden), ChatErrorKind.Authentication },
        { new HttpRequestException("This model's maximum context length is 8192 tokens", null, HttpStatusCode.BadRequest), ChatErrorKind.ContextWindow },
        { new InvalidOperationException("error code: context_length_exceeded"), ChatErrorKind.ContextWindow },
        { new InvalidOperationException("prompt is too long: 210000 tokens > 200000 maximum"), ChatErrorKind.ContextWindow },
        { new HttpRequestException("The response was filtered due to the prompt triggering Azure OpenAI's content management policy", null, HttpStatusCode.BadRequest), ChatErrorKind.ContentPolicy },
        { new InvalidOperationException("finish_reason: content_filter"), ChatErrorKind.ContentPolicy },
        { new HttpRequestException("bad json", null, HttpStatusCode.BadRequest), ChatErrorKind.InvalidRequest },
        { new InvalidOperationException("something odd"), ChatErrorKind.Other },
        { new ChatProviderException(ChatErrorKind.ContentPolicy, "refused"), ChatErrorKind.ContentPolicy },
        { new InvalidOperationException("wrapped", new ChatProviderException(ChatErrorKind.Authentication, "401")), ChatErrorKind.Authentication },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_ProviderError_GivesItsKind(Exception error, ChatErrorKind expected) =>
        Assert.Equal(expected, ChatErrorClassifier.Classify(error));

    [Fact]
    public void ChatProviderException_RateLimited_CarriesRetryAfterForTheEngine()
    {
        var e = new ChatProviderException(ChatErrorKind.RateLimited, "slow down", TimeSpan.FromSeconds(7));
        Assert.True(ErrorClassifier.TryGetRetryAfter(e, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(7), wait);
        Assert.Equal(ErrorCategory.RateLimited, ErrorClassifier.Classify(e));
    }

    [Fact]
    public void ChatProviderException_Authentication_IsPermanentForTheEngine() =>
        Assert.False(ErrorClassifier.IsTransient(new ChatProviderException(ChatErrorKind.Authentication, "401")));

    [Fact]
    public void ChatProviderException_ServerError_IsTransientForTheEngine() =>
        Assert.True(ErrorClassifier.IsTransient(new ChatProviderException(ChatErrorKind.ServerError, "503")));
}
