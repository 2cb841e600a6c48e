using System.Collections.Concurrent;

namespace Steadfast;

/// <summary>
/// The engine's view of the circuit breaker guarding one (operation, strategy) pair: admit, then report the verdict.
/// </summary>
/// <remarks>
/// A seam: the engine talks only to this, so the breaker behind it (the registry's, or the minimal one below) is one
/// small change. Every admitted attempt ends in exactly one of <see cref="RecordSuccess"/>, <see cref="RecordFailure"/>
/// or <see cref="Release"/> (no verdict: the attempt was cancelled).
/// </remarks>
internal interface IEngineCircuit
{
    bool TryAcquire(out TimeSpan? retryAfter);

    void RecordSuccess();

    void RecordFailure(Exception error);

    void Release();
}

/// <summary>The circuits of one engine, one per (operation, strategy), created on first use.</summary>
internal sealed class EngineCircuits(Func<string, string, IEngineCircuit> factory)
{
    private readonly ConcurrentDictionary<(string Operation, string Strategy), IEngineCircuit> _circuits = new();

    /// <summary>The circuit name used for (operation, strategy), e.g. in the registry: <c>operation/strategy</c>.</summary>
    public static string NameOf(string operation, string strategy) => operation + "/" + strategy;

    public IEngineCircuit Get(string operation, string strategy) =>
        _circuits.TryGetValue((operation, strategy), out var c) ? c : _circuits.GetOrAdd((operation, strategy), static (k, f) => f(k.Operation, k.Strategy), factory);
}

/// <summary>
/// A minimal count-based breaker used until the registry's breaker is wired in: opens after
/// <see cref="ResilienceConstants.CircuitFailureThreshold"/> consecutive failures, stays open for
/// <see cref="ResilienceConstants.CircuitCooldown"/>, then admits one probe.
/// </summary>
internal sealed class MinimalCircuit(TimeProvider timeProvider) : IEngineCircuit
{
    private readonly Lock _lock = new();
    private int _consecutiveFailures;
    private long _openUntil;
    private bool _probing;

    public bool TryAcquire(out TimeSpan? retryAfter)
    {
        // Closed path: no lock.
        if (Volatile.Read(ref _openUntil) == 0)
        {
            retryAfter = null;
            return true;
        }

        lock (_lock)
        {
            var now = timeProvider.GetTimestamp();
            if (_openUntil != 0 && now < _openUntil)
            {
                retryAfter = timeProvider.GetElapsedTime(now, _openUntil);
                return false;
            }

            if (_probing)
            {
                retryAfter = TimeSpan.Zero;
                return false;
            }

            _probing = _openUntil != 0;
            retryAfter = null;
            return true;
        }
    }

    public void RecordSuccess()
    {
        if (Volatile.Read(ref _consecutiveFailures) == 0 && Volatile.Read(ref _openUntil) == 0)
        {
            return;
        }

        lock (_lock)
        {
            _consecutiveFailures = 0;
            _openUntil = 0;
            _probing = false;
        }
    }

    public void RecordFailure(Exception error)
    {
        lock (_lock)
        {
            _consecutiveFailures++;
            if (_probing || _consecutiveFailures >= ResilienceConstants.CircuitFailureThreshold)
            {
                _openUntil = timeProvider.GetTimestamp() + (long)(ResilienceConstants.CircuitCooldown.TotalSeconds * timeProvider.TimestampFrequency);
                _probing = false;
            }
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            _probing = false;
        }
    }
}
