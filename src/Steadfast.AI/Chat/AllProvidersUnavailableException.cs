namespace Steadfast;

/// <summary>
/// Every provider of a <see cref="SteadfastChatClient"/> was unavailable for a request (failed, open circuit, rate limited,
/// blacklisted or over budget); thrown instead of the degraded response when <see cref="SteadfastChatOptions.ThrowWhenAllUnavailable"/> is on.
/// </summary>
public sealed class AllProvidersUnavailableException : SteadfastException
{
    /// <summary>Creates the exception.</summary>
    public AllProvidersUnavailableException()
        : this("Every chat provider is unavailable.", [], null)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    public AllProvidersUnavailableException(string message)
        : this(message, [], null)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The last provider failure.</param>
    public AllProvidersUnavailableException(string message, Exception? innerException)
        : this(message, [], innerException)
    {
    }

    /// <summary>Creates the exception with the attempts the request made.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="attempts">Every provider call and skip of the request.</param>
    /// <param name="innerException">The last provider failure.</param>
    public AllProvidersUnavailableException(string message, IReadOnlyList<ChatProviderAttempt> attempts, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        Attempts = attempts;
    }

    /// <summary>Every provider call and skip of the request.</summary>
    public IReadOnlyList<ChatProviderAttempt> Attempts { get; }
}
