namespace Steadfast;

/// <summary>One provider call a <see cref="SteadfastChatClient"/> made for a request, or one provider it skipped, and why.</summary>
/// <param name="Provider">The provider's name.</param>
/// <param name="Succeeded">Whether the call answered.</param>
/// <param name="ErrorKind">How the failure was classified; <see langword="null"/> on success and for a skip.</param>
/// <param name="Error">The failure; <see langword="null"/> on success and for a skip.</param>
/// <param name="Cost">What the call cost, from its usage; 0 when it failed or was skipped.</param>
/// <param name="SkipReason">Why the provider was not called (cost, context window, blacklisted, operation mode); <see langword="null"/> for a call.</param>
public sealed record ChatProviderAttempt(string Provider, bool Succeeded, ChatErrorKind? ErrorKind, Exception? Error, decimal Cost, string? SkipReason = null)
{
    /// <summary>Whether the provider was skipped rather than called.</summary>
    public bool Skipped => SkipReason is not null;
}
