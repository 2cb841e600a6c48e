namespace Steadfast;

/// <summary>
/// Judges a provider's error for failover: rate limit, server error, timeout, authentication, context window, content policy
/// or a bad request. A <see cref="ChatProviderException"/> says its kind; other errors are read by status code
/// (<see cref="ErrorClassifier"/>) and, for the two kinds providers report as a plain HTTP 400, by the error codes and phrases
/// the major providers use (OpenAI's <c>context_length_exceeded</c> and <c>content_filter</c>, Anthropic's "prompt is too long", ...).
/// </summary>
public static class ChatErrorClassifier
{
    // Lower-case phrases, matched in the exception's type name and message chain. LiteLLM maps provider errors the same way.
    private static readonly string[] ContextWindowMarkers =
        ["context_length_exceeded", "context length", "context window", "maximum context", "prompt is too long", "too many tokens", "contextwindow"];

    private static readonly string[] ContentPolicyMarkers =
        ["content_policy", "content policy", "content_filter", "content filter", "content management policy", "responsible ai", "contentpolicy", "safety system"];

    /// <summary>Classifies a provider's error.</summary>
    /// <param name="exception">The error.</param>
    /// <returns>Its kind; <see cref="ChatErrorKind.Other"/> when nothing is recognised.</returns>
    public static ChatErrorKind Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ChatProviderException { Kind: not ChatErrorKind.Other } typed)
            {
                return typed.Kind;
            }
        }

        if (Mentions(exception, ContextWindowMarkers))
        {
            return ChatErrorKind.ContextWindow;
        }

        if (Mentions(exception, ContentPolicyMarkers))
        {
            return ChatErrorKind.ContentPolicy;
        }

        return ErrorClassifier.Classify(exception) switch
        {
            ErrorCategory.RateLimited => ChatErrorKind.RateLimited,
            ErrorCategory.ServerError or ErrorCategory.Network or ErrorCategory.ResourceExhausted => ChatErrorKind.ServerError,
            ErrorCategory.Timeout => ChatErrorKind.Timeout,
            ErrorCategory.Authentication => ChatErrorKind.Authentication,
            ErrorCategory.InvalidInput or ErrorCategory.NotFound => ChatErrorKind.InvalidRequest,
            _ => ChatErrorKind.Other,
        };
    }

    private static bool Mentions(Exception exception, string[] markers)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            foreach (var marker in markers)
            {
                if (e.Message.Contains(marker, StringComparison.OrdinalIgnoreCase) || e.GetType().Name.Contains(marker, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
