namespace Steadfast;

/// <summary>
/// A provider refused the client's credentials and was blacklisted until the entry is removed: an operator must fix the key
/// and call <see cref="SteadfastChatClient.ReinstateProviderAsync"/> (or remove the blacklist entry with the CLI).
/// </summary>
public sealed class ProviderBlacklistedEventArgs : EventArgs
{
    /// <summary>Creates the event's arguments.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="operation">The operation it is blacklisted for.</param>
    /// <param name="reason">Why (redacted).</param>
    /// <param name="error">The provider's error.</param>
    public ProviderBlacklistedEventArgs(string provider, string operation, string reason, Exception error)
    {
        Provider = provider;
        Operation = operation;
        Reason = reason;
        Error = error;
    }

    /// <summary>The provider's name.</summary>
    public string Provider { get; }

    /// <summary>The operation it is blacklisted for.</summary>
    public string Operation { get; }

    /// <summary>Why it was blacklisted (secrets redacted).</summary>
    public string Reason { get; }

    /// <summary>The provider's error.</summary>
    public Exception Error { get; }
}
