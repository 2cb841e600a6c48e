using System.Collections.Concurrent;

namespace Steadfast;

/// <summary>
/// The engine's view of the circuit breaker guarding one (operation, strategy) pair: admit, then report the verdict.
/// </summary>
/// <remarks>
/// A seam: the engine talks only to this, so the breaker behind it (the registry's, or a test's) is one small change. Every admitted attempt ends in exactly one of <see cref="RecordSuccess"/>, <see cref="RecordFailure"/>
/// or <see cref="Release"/> (no verdict: the attempt was cancelled).
/// </remarks>
internal interface IEngineCircuit
{
    bool TryAcquire(out TimeSpan? retryAfter);

    /// <summary>Admits or refuses, telling also a half-open probe the shared probe limit must confirm; circuits without one confirm nothing.</summary>
    /// <param name="retryAfter">When refused: how long until the circuit admits again.</param>
    /// <param name="probe">A half-open probe to confirm with <see cref="ConfirmProbeAsync"/> before the call; none otherwise.</param>
    bool TryAcquire(out TimeSpan? retryAfter, out CircuitProbe probe)
    {
        probe = default;
        return TryAcquire(out retryAfter);
    }

    /// <summary>Asks the shared probe limit; a refusal gives the admission back (no verdict follows). Never throws.</summary>
    /// <returns><see langword="null"/> when the probe may go; otherwise the rejection.</returns>
    ValueTask<CircuitOpenException?> ConfirmProbeAsync(CircuitProbe probe) => default;

    void RecordSuccess();

    void RecordFailure(Exception error);

    void Release();
}

/// <summary>The circuits of one engine, one per (operation, strategy), created on first use.</summary>
internal sealed class EngineCircuits(Func<string, string, IEngineCircuit> factory)
{
    private readonly ConcurrentDictionary<(string Operation, string Strategy), IEngineCircuit> _circuits = new();

    /// <summary>The name of the registry circuit guarding (operation, strategy): <c>operation/strategy</c>.</summary>
    public static string NameOf(string operation, string strategy) => operation + "/" + strategy;

    public IEngineCircuit Get(string operation, string strategy) =>
        _circuits.TryGetValue((operation, strategy), out var c) ? c : _circuits.GetOrAdd((operation, strategy), static (k, f) => f(k.Operation, k.Strategy), factory);
}

/// <summary>Adapts a registry <see cref="CircuitBreaker"/> to the engine's seam through its low-level admission API.</summary>
internal sealed class RegistryCircuit(CircuitBreaker breaker) : IEngineCircuit
{
    public bool TryAcquire(out TimeSpan? retryAfter) => TryAcquire(out retryAfter, out _);

    public bool TryAcquire(out TimeSpan? retryAfter, out CircuitProbe probe)
    {
        if (breaker.TryAcquireWithProbe(out var rejection, out probe))
        {
            retryAfter = null;
            return true;
        }

        retryAfter = rejection.RetryAfter;
        return false;
    }

    // Not the run's token: the answer is one short round trip, and a cancelled wait would have to be undone here.
    public ValueTask<CircuitOpenException?> ConfirmProbeAsync(CircuitProbe probe) => breaker.ConfirmProbeAsync(probe, CancellationToken.None);

    public void RecordSuccess() => breaker.RecordSuccess();

    public void RecordFailure(Exception error) => breaker.RecordFailure(error);

    public void Release() => breaker.ReleaseWithoutOutcome();
}
