namespace Steadfast;

/// <summary>
/// A provider's failure with its <see cref="ChatErrorKind"/> stated: throw it from a provider adapter (or a test's fake) when
/// the SDK's own error does not say what happened in a way <see cref="ChatErrorClassifier"/> recognises.
/// </summary>
public class ChatProviderException : ServiceException
{
    /// <summary>Creates an exception of kind <see cref="ChatErrorKind.Other"/>.</summary>
    public ChatProviderException()
    {
    }

    /// <summary>Creates an exception of kind <see cref="ChatErrorKind.Other"/>.</summary>
    /// <param name="message">What happened.</param>
    public ChatProviderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception of kind <see cref="ChatErrorKind.Other"/>.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The SDK's exception.</param>
    public ChatProviderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception of the given kind.</summary>
    /// <param name="kind">What kind of failure it is.</param>
    /// <param name="message">What happened.</param>
    /// <param name="retryAfter">The provider's retry-after hint, if it gave one.</param>
    /// <param name="innerException">The SDK's exception.</param>
    public ChatProviderException(ChatErrorKind kind, string message, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, StatusCodeOf(kind), retryAfter, innerException)
    {
        Kind = kind;
    }

    /// <summary>What kind of failure it is.</summary>
    public ChatErrorKind Kind { get; }

    // The engine judges failures by status code (ErrorClassifier): each kind maps to the code a provider's HTTP API answers with.
    private static int StatusCodeOf(ChatErrorKind kind) => kind switch
    {
        ChatErrorKind.RateLimited => 429,
        ChatErrorKind.ServerError => 503,
        ChatErrorKind.Timeout => 408,
        ChatErrorKind.Authentication => 401,
        ChatErrorKind.ContextWindow or ChatErrorKind.ContentPolicy or ChatErrorKind.InvalidRequest => 400,
        _ => 500,
    };
}
