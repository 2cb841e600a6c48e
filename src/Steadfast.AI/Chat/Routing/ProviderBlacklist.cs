using System.Collections.Concurrent;

namespace Steadfast.AI.Chat;

/// <summary>
/// Providers blacklisted for an authentication failure, until removed. With learning on this is a manual entry in the engine's
/// <see cref="FailureAnalyzer"/> (never probed, persisted with it, removable with the CLI's <c>blacklist remove</c>); without
/// an analyzer the client keeps the entries itself.
/// </summary>
internal sealed class ProviderBlacklist(FailureAnalyzer? analyzer, string operation)
{
    private readonly ConcurrentDictionary<string, string> _local = new(StringComparer.Ordinal);

    // ConcurrentDictionary's Count and IsEmpty take every lock: the hot path reads this instead.
    private int _localCount;

    /// <summary>Whether no provider can be blocked: no local entry and (with learning) an empty analyzer blacklist. No lock, no clock.</summary>
    public bool IsSurelyEmpty => Volatile.Read(ref _localCount) == 0 && analyzer?.MayHaveBlacklistEntries != true;

    public bool IsBlocked(string provider) => analyzer is null
        ? _local.ContainsKey(provider)
        : analyzer.GetBlacklistEntry(provider, operation) is { IsAutomatic: false } entry
            && entry.Reason.StartsWith(ChatConstants.AuthenticationBlacklistPrefix, StringComparison.Ordinal);

    public async Task AddAsync(string provider, string reason)
    {
        var full = ChatConstants.AuthenticationBlacklistPrefix + reason;
        _local[provider] = full;
        Volatile.Write(ref _localCount, _local.Count);
        if (analyzer is not null)
        {
            await analyzer.AddToBlacklistAsync(provider, operation, full).ConfigureAwait(false);
        }
    }

    public async Task<bool> RemoveAsync(string provider, CancellationToken cancellationToken)
    {
        var removed = _local.TryRemove(provider, out _);
        Volatile.Write(ref _localCount, _local.Count);
        if (analyzer is not null)
        {
            removed |= await analyzer.RemoveFromBlacklistAsync(provider, operation, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }
}
