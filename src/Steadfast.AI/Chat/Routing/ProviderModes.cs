using System.Collections.Concurrent;

namespace Steadfast.AI.Chat;

/// <summary>
/// The providers' side of the <see cref="OperationModeManager"/>: which providers a request may use in the current mode, and
/// each provider as a component of the manager (degraded while its circuit is open or it is blacklisted, normal again once it
/// serves). Without a manager every provider is admitted and nothing is marked.
/// </summary>
internal sealed class ProviderModes(OperationModeManager? modes)
{
    // The providers this client marked degraded, so a success costs one lookup and the manager hears "normal" once.
    private readonly ConcurrentDictionary<string, byte> _marked = new(StringComparer.Ordinal);

    public OperationMode Mode => modes?.CurrentMode ?? OperationMode.Normal;

    public bool HasManager => modes is not null;

    /// <summary>
    /// The providers admitted in the current mode, or <see langword="null"/> when all are. In Emergency only the essential
    /// ones; when none is essential, the one with the lowest estimated cost for this request (the first among equals), the
    /// engine's rule for strategies without <see cref="Strategy{T}.EssentialInEmergency"/>, so an emergency never has no way.
    /// </summary>
    public HashSet<string>? Admitted(IReadOnlyList<ProviderRuntime> providers, ChatRequest request)
    {
        if (Mode != OperationMode.Emergency)
        {
            return null;
        }

        var admitted = new HashSet<string>(StringComparer.Ordinal);
        ProviderRuntime? cheapest = null;
        var cheapestCost = decimal.MaxValue;
        foreach (var p in providers)
        {
            if (p.Provider.Essential)
            {
                admitted.Add(p.Name);
            }

            var cost = TokenEstimator.EstimateCost(p.Provider, request.InputTokens, request.Options);
            if (cost < cheapestCost)
            {
                cheapest = p;
                cheapestCost = cost;
            }
        }

        if (admitted.Count == 0 && cheapest is not null)
        {
            admitted.Add(cheapest.Name);
        }

        return admitted;
    }

    /// <summary>Marks the provider's component degraded (once, until it serves again).</summary>
    public Task UnavailableAsync(string provider, string reason)
    {
        if (modes is null || !_marked.TryAdd(provider, 0))
        {
            return Task.CompletedTask;
        }

        // Medium: one provider down is a degradation; the mode manager's own rules decide whether that is an emergency.
        return modes.MarkComponentDegradedAsync(provider, reason, ComponentSeverity.Medium);
    }

    /// <summary>Marks the provider's component normal again if this client had marked it degraded.</summary>
    public Task ServedAsync(string provider) =>
        modes is not null && _marked.TryRemove(provider, out _) ? modes.MarkComponentNormalAsync(provider) : Task.CompletedTask;

    /// <summary>Reads a request's attempt log: providers skipped for an open circuit or a blacklist entry are unavailable.</summary>
    public async Task ObserveAsync(ChatRequest request, string? servedBy)
    {
        if (modes is null)
        {
            return;
        }

        foreach (var a in request.Attempts())
        {
            if (a.SkipReason is { } reason && IsUnavailability(reason) && a.Provider != servedBy)
            {
                await UnavailableAsync(a.Provider, reason).ConfigureAwait(false);
            }
        }

        if (servedBy is not null)
        {
            await ServedAsync(servedBy).ConfigureAwait(false);
        }
    }

    private static bool IsUnavailability(string reason) =>
        reason.StartsWith(SkipReasons.CircuitOpen, StringComparison.Ordinal)
        || reason.StartsWith(SkipReasons.BlacklistedPrefix, StringComparison.Ordinal)
        || reason.StartsWith(ChatConstants.SkipBlacklisted, StringComparison.Ordinal);
}
