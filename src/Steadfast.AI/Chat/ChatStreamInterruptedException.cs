using Microsoft.Extensions.AI;

namespace Steadfast;

/// <summary>
/// A streaming response failed after its first update reached the caller. There is no silent failover then (the caller has
/// output from one provider already); this says which provider failed and carries what was streamed so far.
/// </summary>
public sealed class ChatStreamInterruptedException : SteadfastException
{
    /// <summary>Creates the exception.</summary>
    public ChatStreamInterruptedException()
        : this("The streaming response was interrupted.", string.Empty, [], null)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    public ChatStreamInterruptedException(string message)
        : this(message, string.Empty, [], null)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The provider's failure.</param>
    public ChatStreamInterruptedException(string message, Exception? innerException)
        : this(message, string.Empty, [], innerException)
    {
    }

    /// <summary>Creates the exception with the provider and what it streamed.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="provider">The provider whose stream failed.</param>
    /// <param name="updatesSoFar">The updates the caller received before the failure.</param>
    /// <param name="innerException">The provider's failure.</param>
    public ChatStreamInterruptedException(string message, string provider, IReadOnlyList<ChatResponseUpdate> updatesSoFar, Exception? innerException)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(updatesSoFar);
        Provider = provider;
        UpdatesSoFar = updatesSoFar;
        ErrorKind = innerException is null ? ChatErrorKind.Other : ChatErrorClassifier.Classify(innerException);
    }

    /// <summary>The provider whose stream failed.</summary>
    public string Provider { get; }

    /// <summary>The updates the caller received before the failure, in order.</summary>
    public IReadOnlyList<ChatResponseUpdate> UpdatesSoFar { get; }

    /// <summary>How the provider's failure was classified.</summary>
    public ChatErrorKind ErrorKind { get; }

    /// <summary>The text streamed so far, concatenated.</summary>
    public string TextSoFar => string.Concat(UpdatesSoFar.Select(u => u.Text));
}
