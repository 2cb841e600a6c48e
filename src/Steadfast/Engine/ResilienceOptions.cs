namespace Steadfast;

/// <summary>
/// Configures a <see cref="ResilienceEngine"/>. The engine validates the options when it is built (an invalid value
/// throws, naming the property, the value and the allowed range) and copies them, so later changes have no effect.
/// </summary>
public sealed class ResilienceOptions
{
    private const string Owner = nameof(ResilienceOptions);

    /// <summary>Attempts per strategy, including the first (1 to 100).</summary>
    /// <value>The default is 5.</value>
    public int MaxAttempts { get; set; } = ResilienceConstants.DefaultMaxAttempts;

    /// <summary>
    /// The median wait before a strategy's first retry (0 to 1 day); later waits grow by <see cref="BackoffFactor"/>, with ±25 % jitter.
    /// The same name and meaning as <see cref="RetryOptions.InitialDelay"/>.
    /// </summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan InitialDelay { get; set; } = ResilienceConstants.DefaultInitialDelay;

    /// <summary>
    /// The longest wait before the next attempt of the same strategy (<see cref="InitialDelay"/> to 1 day). The wait is the larger of
    /// the backoff and the failure's retry-after hint, never more than this (see docs/engine.md, "Retry per strategy").
    /// </summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = ResilienceConstants.DefaultMaxDelay;

    /// <summary>The exponential backoff multiplier (1 to 100).</summary>
    /// <value>The default is 2.0.</value>
    public double BackoffFactor { get; set; } = ResilienceConstants.DefaultBackoffFactor;

    /// <summary>The deadline of one whole execution (10 ms to 7 days); in-flight attempts are cancelled when it passes.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan MaxTotalTime { get; set; } = ResilienceConstants.DefaultMaxTotalTime;

    /// <summary>The cost budget of one execution (0 to 1,000,000,000): <see cref="Strategy{T}.Cost"/> per attempt plus what attempts report.</summary>
    /// <value>The default is 1.0.</value>
    public decimal MaxApiCost { get; set; } = ResilienceConstants.DefaultMaxApiCost;

    /// <summary>Attempts of one execution across all strategies (1 to 10,000).</summary>
    /// <value>The default is 20.</value>
    public int MaxTotalAttempts { get; set; } = ResilienceConstants.DefaultMaxTotalAttempts;

    /// <summary>Strategies raced at once in parallel mode (1 to 64).</summary>
    /// <value>The default is 3.</value>
    public int MaxParallelStrategies { get; set; } = ResilienceConstants.DefaultMaxParallelStrategies;

    /// <summary>
    /// Per operation, retries of the same strategy (not moves to another strategy) may be at most this share of the
    /// calls over a sliding window, as Finagle, Envoy and gRPC limit retries, so an outage cannot multiply the load on a
    /// service; a retry the budget refuses moves the execution on to its other strategies. <see langword="null"/> turns it off.
    /// </summary>
    /// <value>The default is <c>new RetryBudgetOptions()</c>: 20 % of the calls, at least 10 retries a second, over 10 seconds.</value>
    public RetryBudgetOptions? RetryBudget { get; set; } = new();

    /// <summary>
    /// In <see cref="ExecutionMode.Hedged"/>: how long the engine waits for an answer before it starts the next strategy
    /// (1 ms to 1 hour). <see langword="null"/> adapts it: the 90th percentile of the leading strategy's recent latency
    /// (see docs/engine.md), or <see cref="StrategyTimeout"/> / 10 until enough is known.
    /// </summary>
    /// <value>The default is <see langword="null"/> (adaptive).</value>
    public TimeSpan? HedgeDelay { get; set; }

    /// <summary>The bound of one attempt (10 ms to 1 day); an attempt that takes longer is cancelled and counts as a timeout.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan StrategyTimeout { get; set; } = ResilienceConstants.DefaultStrategyTimeout;

    /// <summary>Whether the engine moves on to the next strategy when one fails for good; when off only the best-ranked strategy is tried and no creative solver is asked.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool EnableAlternatives { get; set; } = true;

    /// <summary>Whether a registered <see cref="ICreativeSolver"/> is asked for a new strategy once the given ones are exhausted.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool EnableCreativeSolving { get; set; } = true;

    /// <summary>
    /// Whether a creative solver may propose generated code (a small program it wrote) besides calls of the application's tools.
    /// The engine itself runs no code; a solver that honours it (Steadfast.AI's <c>LlmCreativeSolver</c> under
    /// <c>UseCreativeSolver</c>) validates such code and runs it only out of process, in a sandbox.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool EnableCustomCode { get; set; }

    /// <summary>
    /// Whether strategies of equal <see cref="Strategy{T}.Priority"/> share the load: their order is drawn at random for each
    /// execution, weighted by score (one with twice the score goes first twice as often), instead of always the best first.
    /// Strategies of different priority keep their ranked order.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool LoadBalancing { get; set; }

    /// <summary>
    /// The source of the engine's random draws (retry jitter and the <see cref="LoadBalancing"/> draw): a function returning
    /// a number in [0, 1), as Polly's <c>RetryStrategyOptions.Randomizer</c>. Give a seeded source to make runs repeatable
    /// (a simulation, a test); it may be called from several threads at once, so it must be thread-safe.
    /// </summary>
    /// <value>The default is <see langword="null"/>: <see cref="Random.Shared"/>.</value>
    public Func<double>? Randomizer { get; set; }

    /// <summary>Whether attempts are recorded in the <see cref="FailureAnalyzer"/> and strategies ranked and blacklisted by what it learned.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool EnableLearning { get; set; } = true;

    /// <summary>
    /// Whether the analyzer and the circuit registry the engine creates (when none are given) keep what they learn in SQLite at
    /// <see cref="PersistencePath"/>: a new engine on the same file starts with the blacklist, strategy statistics and circuits of the previous one.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool EnablePersistence { get; set; }

    /// <summary>The SQLite file of the analyzer and the circuits the engine creates when <see cref="EnablePersistence"/> is on; <c>data/failures.db</c> when <see langword="null"/>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? PersistencePath { get; set; }

    /// <summary>
    /// Failures of an operation needed before a pattern is reported (1 to 1,000); passed to the analyzer the engine creates. The same name
    /// and meaning as <see cref="FailureAnalyzerOptions.PatternThreshold"/>.
    /// </summary>
    /// <value>The default is 3.</value>
    public int PatternThreshold { get; set; } = ResilienceConstants.DefaultPatternThreshold;

    /// <summary>Whether <see cref="ResilienceEngine.Progress"/> events and periodic snapshots are raised.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool EnableProgressTracking { get; set; } = true;

    /// <summary>The interval of progress snapshots during long executions (100 ms to 1 day).</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan CheckpointInterval { get; set; } = ResilienceConstants.DefaultCheckpointInterval;

    /// <summary>Failed attempts of one execution after which <see cref="ResilienceEngine.Escalated"/> is raised (1 to 10,000).</summary>
    /// <value>The default is 10.</value>
    public int EscalateAfterFailures { get; set; } = ResilienceConstants.DefaultEscalateAfterFailures;

    /// <summary>
    /// Failed attempts of one execution after which the <see cref="IInterventionHandler"/> is asked, or the execution stops with
    /// <see cref="StopReason.InterventionRequired"/> when none is registered (1 to 10,000, at least <see cref="EscalateAfterFailures"/>).
    /// </summary>
    /// <value>The default is 15.</value>
    public int UserInterventionThreshold { get; set; } = ResilienceConstants.DefaultUserInterventionThreshold;

    /// <summary>
    /// Options of the circuit the engine creates in its <see cref="CircuitBreakerRegistry"/> for each (operation, strategy) pair,
    /// named <c>operation/strategy</c>. When <see langword="null"/>: the breaker's defaults (5 consecutive failures), except that
    /// the cooldown is the learning layer's <see cref="FailureAnalyzerOptions.BlacklistProbeInterval"/> (5 s), so the circuit's
    /// half-open probe and the blacklist's recovery probe are one call, and invalid-input and not-found errors do not count
    /// (the service answered; the request was wrong).
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public CircuitBreakerOptions? CircuitBreaker { get; set; }

    /// <summary>Copies the options, including <see cref="CircuitBreaker"/>, so changes to the copy do not reach the original.</summary>
    /// <returns>A copy.</returns>
    public ResilienceOptions Clone()
    {
        var copy = (ResilienceOptions)MemberwiseClone();
        copy.CircuitBreaker = CircuitBreaker?.Clone();
        copy.RetryBudget = RetryBudget?.Clone();
        return copy;
    }

    /// <summary>Checks every option; throws on the first invalid one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its allowed range; the message names <c>ResilienceOptions.Property</c>, the allowed range and the value.</exception>
    /// <exception cref="ArgumentException"><see cref="PersistencePath"/> is empty or white space.</exception>
    public void Validate()
    {
        Guard.InRange(MaxAttempts, 1, 100, Owner);
        Guard.InRange(InitialDelay, TimeSpan.Zero, TimeSpan.FromDays(1), Owner);
        Guard.InRange(MaxDelay, InitialDelay, TimeSpan.FromDays(1), Owner);
        Guard.InRange(BackoffFactor, 1.0, 100.0, Owner); // NaN compares below every number, so it is out of range too
        Guard.InRange(MaxTotalTime, TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(7), Owner);
        Guard.InRange(MaxApiCost, 0m, 1_000_000_000m, Owner);
        Guard.InRange(MaxTotalAttempts, 1, 10_000, Owner);
        Guard.InRange(MaxParallelStrategies, 1, 64, Owner);
        Guard.InRange(StrategyTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(1), Owner);
        if (HedgeDelay is { } hedgeDelay)
        {
            Guard.InRange(hedgeDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), Owner, nameof(HedgeDelay));
        }

        Guard.InRange(PatternThreshold, 1, 1_000, Owner);
        Guard.InRange(CheckpointInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1), Owner);
        Guard.InRange(EscalateAfterFailures, 1, 10_000, Owner);
        Guard.InRange(UserInterventionThreshold, EscalateAfterFailures, 10_000, Owner);
        if (PersistencePath is not null)
        {
            Guard.NotNullOrWhiteSpace(PersistencePath, Owner); // null means the default file; an empty path is a mistake
        }

        CircuitBreaker?.Validate();
        RetryBudget?.Validate();
    }
}
