namespace Steadfast;

/// <summary>
/// The engine's express lane, for a caller that already knows which strategy the engine would run first and expects it to
/// answer (the chat client's happy path): the same admission as the engine's first attempt (cost budget, rate-limit deferral,
/// the strategy's circuit), the same timeout (<see cref="StrategyTimeout"/>, on the engine's clock), and on success the same
/// records (circuit, retry budget, learning, the attempt and execution counters), without building an execution, a plan or a
/// result. A failed express attempt gives its circuit permit back with no verdict (<see cref="Abandon"/>): the caller then runs
/// the full execution, which books the failure as its own first attempt, so failures keep every rule of the full run.
/// </summary>
/// <remarks>
/// Closed (<see cref="IsOpen"/> false) whenever the full run would add something a caller can observe on a success: progress
/// subscribers, the engine's execution span, load balancing, or the Emergency mode's filter; and until the engine has started
/// (its learning loaded: asking starts it, as the first execution would; a start that does not complete at once is waited for by
/// the full run).
/// </remarks>
internal sealed class EngineExpress(EngineCircuits circuits, RateLimitDeferrals deferrals, EngineRetryBudget retryBudget, EngineLearning learning,
    ExecutionBudget budget, OperatingConditions conditions, EngineHooks hooks, ResilienceOptions options, TimeSpan probeInterval, TimeProvider time,
    Func<bool> started)
{
    private readonly bool _progress = options.EnableProgressTracking;

    // The success's time for the learning, from the timestamp already read for its duration: one clock read fewer per call
    // (the analyzer takes it when it keeps the engine's clock).
    private readonly TimestampClock? _learningClock = learning.Analyzer is null ? null : new TimestampClock(time);

    /// <summary>How long one attempt may take (<see cref="ResilienceOptions.StrategyTimeout"/>); the caller bounds its call with it.</summary>
    public TimeSpan StrategyTimeout => options.StrategyTimeout;

    /// <summary>The engine's clock.</summary>
    public TimeProvider Time => time;

    /// <summary>The analyzer the engine ranks with; <see langword="null"/> when learning is off.</summary>
    public FailureAnalyzer? Analyzer => learning.Analyzer;

    /// <summary>The cost scale of the ranking and the cost budget of one execution (<see cref="ResilienceOptions.MaxApiCost"/>).</summary>
    public decimal MaxApiCost => budget.MaxCost;

    /// <summary>The interval of recovery probes (blacklisted and ranked-down strategies).</summary>
    public TimeSpan ProbeInterval => probeInterval;

    /// <summary>The current operation mode (Normal when the engine has no mode manager).</summary>
    public OperationMode Mode => conditions.Mode;

    /// <summary>Whether an express attempt would be seen exactly as the full run's first-try success.</summary>
    public bool IsOpen =>
        started() && !(_progress && hooks.HasProgressSubscribers) && !conditions.LoadBalancing && conditions.Mode != OperationMode.Emergency
        && budget.MaxTotalAttempts >= 1 && budget.AttemptsPerStrategy >= 1 && !EngineTracing.Enabled;

    /// <summary>The circuit the engine guards (operation, strategy) with; the same object for the engine's life, so callers may keep it.</summary>
    public IEngineCircuit CircuitOf(string operation, string strategy) => circuits.Get(operation, strategy);

    /// <summary>
    /// Admits an attempt as the engine's first one would be: within the cost budget, not deferred, its circuit closed. A
    /// half-open circuit's probe is left to the full run (it may need the shared probe limit's confirmation, and a probe is
    /// not the happy path).
    /// </summary>
    /// <returns>Whether <paramref name="circuit"/> now holds the attempt's permit; when not, the full run must decide.</returns>
    public bool TryAdmit(string operation, string strategy, IEngineCircuit circuit, decimal cost)
    {
        if ((cost != 0m && cost > budget.MaxCost) || deferrals.IsDeferred(operation, strategy, out _) || !circuit.TryAcquire(out _, out var probe))
        {
            return false;
        }

        if (!probe.IsNone)
        {
            circuit.Release();
            return false;
        }

        return true;
    }

    /// <summary>Books a successful express attempt where the full run would: the call, the circuit, the counters and the learning.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="strategy">The strategy that answered.</param>
    /// <param name="circuit">Its circuit, holding the attempt's permit.</param>
    /// <param name="started">The engine clock's timestamp when the attempt was admitted.</param>
    /// <param name="ended">The engine clock's timestamp when it answered (one clock read serves the duration and the retry budget).</param>
    public void Succeeded(string operation, string strategy, IEngineCircuit circuit, long started, long ended)
    {
        retryBudget.RecordCall(operation, ended);
        circuit.RecordSuccess();
        EngineMetrics.Attempt(operation, strategy, AttemptOutcome.Succeeded);
        learning.RecordSuccess(operation, strategy, time.GetElapsedTime(started, ended), _learningClock?.UtcAt(ended), time);
        EngineMetrics.Execution(operation, StopReason.Succeeded);
    }

    /// <summary>Gives an admitted attempt's circuit permit back with no verdict: the full run that follows books the outcome.</summary>
    public static void Abandon(IEngineCircuit circuit) => circuit.Release();
}
