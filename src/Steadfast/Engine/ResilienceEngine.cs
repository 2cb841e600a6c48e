using Microsoft.Extensions.Logging;
using Steadfast.Composition;

namespace Steadfast;

/// <summary>
/// Executes an operation and never gives up while a way is left: each strategy is retried with exponential backoff
/// and jitter (every attempt bounded by <see cref="ResilienceOptions.StrategyTimeout"/>, Polly's timeout), guarded by a
/// circuit per (operation, strategy); when a strategy fails for good the next-ranked one is tried (in order, or raced
/// in parallel), within the time, attempt and cost budgets. Every attempt is recorded by the <see cref="FailureAnalyzer"/>,
/// which ranks and blacklists strategies for the next call. The result says what happened and what to do next.
/// </summary>
/// <remarks>
/// <para>Ranking: <c>score = Priority × (successes + 1) / (attempts + 2) × 1 / (1 + meanLatency / 1 s) × 1 / (1 + Cost / MaxApiCost)</c>,
/// best first; see docs/engine.md.</para>
/// <para>Only the caller's cancellation throws (<see cref="OperationCanceledException"/>); every other failure is in the result.</para>
/// </remarks>
public sealed class ResilienceEngine : IAsyncDisposable
{
    // This class is the public face; the work is done by collaborators in Engine/Execution/, each with its own state: the
    // Planner ranks; the SequentialRunner (one attempt at a time) or the ParallelRunner (race, hedge) runs the strategies on one
    // ExecutionSchedule (when each is ready again) through the AttemptExecutor (one attempt), within the ExecutionBudget,
    // writing everything into the result's AttemptLedger. See docs/engine.md, "Inside".
    private readonly ResilienceOptions _options;
    private readonly TimeProvider _time;
    private readonly FailureAnalyzer? _analyzer;
    private readonly bool _ownsAnalyzer;
    private readonly bool _ownsCircuitBreakers;
    private readonly EngineHooks _hooks;
    private readonly Planner _planner;
    private readonly OperatingConditions _conditions;
    private readonly Lazy<Task> _startup;
    private readonly ICircuitStateStore? _ownedCircuitStore;
    private readonly SequentialRunner _sequential;
    private readonly ParallelRunner _parallel;

    /// <summary>Creates an engine.</summary>
    /// <param name="options">The options; the defaults when <see langword="null"/>. Validated and copied.</param>
    /// <param name="analyzer">The learning layer; when <see langword="null"/> and <see cref="ResilienceOptions.EnableLearning"/> is on, the engine creates (and disposes) one.</param>
    /// <param name="timeProvider">The clock and timers; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where logs go; nowhere when <see langword="null"/>.</param>
    /// <param name="circuitBreakers">
    /// Where the circuit of each (operation, strategy) pair lives, named <c>operation/strategy</c>; share one registry (for example
    /// <see cref="CircuitBreakerRegistry.Shared"/> or one with a state store) to share and persist circuits. When <see langword="null"/>
    /// the engine makes its own on <paramref name="timeProvider"/>: in memory, or with <see cref="ResilienceOptions.EnablePersistence"/>
    /// kept in the same SQLite file as the learning and restored now.
    /// </param>
    /// <param name="health">
    /// The health monitor behind health-aware routing: a strategy whose <see cref="Strategy{T}.HealthComponent"/> is Unhealthy is
    /// skipped, a Degraded one ranks at half its score. When <see langword="null"/> only what the engine learns counts.
    /// </param>
    /// <param name="modes">
    /// The operation mode: in <see cref="OperationMode.Degraded"/> and <see cref="OperationMode.Emergency"/> executions run
    /// sequentially and no creative solver is asked; in Emergency only <see cref="Strategy{T}.EssentialInEmergency"/> strategies
    /// run (or the cheapest). When <see langword="null"/> the engine always runs as in Normal mode.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ResilienceEngine(ResilienceOptions? options = null, FailureAnalyzer? analyzer = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null,
        CircuitBreakerRegistry? circuitBreakers = null, HealthMonitor? health = null, OperationModeManager? modes = null)
        : this(options, analyzer, timeProvider, loggerFactory, circuitBreakers, circuitFactory: null, health, modes)
    {
    }

    internal ResilienceEngine(ResilienceOptions? options, FailureAnalyzer? analyzer, TimeProvider? timeProvider, ILoggerFactory? loggerFactory,
        CircuitBreakerRegistry? circuitBreakers, Func<string, string, IEngineCircuit>? circuitFactory,
        HealthMonitor? health = null, OperationModeManager? modes = null)
    {
        var copy = (options ?? new ResilienceOptions()).Clone();
        copy.Validate();
        _options = copy;
        _time = timeProvider ?? TimeProvider.System;
        var logger = loggerFactory.CreateRedactingLogger<ResilienceEngine>();
        if (_options.EnableLearning)
        {
            _analyzer = analyzer;
            if (_analyzer is null)
            {
                _analyzer = new FailureAnalyzer(_options.PatternThreshold, _options.EnablePersistence, _options.PersistencePath, _time, loggerFactory);
                _ownsAnalyzer = true;
            }
        }

        if (circuitBreakers is null && _options.EnablePersistence)
        {
            // Circuits live in the same file as the learning, restored before the first execution (see StartAsync) so a circuit
            // open before a restart stays open for the rest of its cooldown.
            _ownedCircuitStore = DefaultStores.CreateCircuitStateStore(_options.PersistencePath, loggerFactory);
            circuitBreakers = new CircuitBreakerRegistry(store: _ownedCircuitStore, timeProvider: _time, loggerFactory: loggerFactory);
            _ownsCircuitBreakers = true;
        }

        _startup = new Lazy<Task>(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

        CircuitBreakers = circuitBreakers ?? new CircuitBreakerRegistry(timeProvider: _time, loggerFactory: loggerFactory);
        var registry = CircuitBreakers;
        // A strategy's circuit lets a probe through when its blacklist probe is due (5 s by default): one probe serves both, and a
        // provider that recovered is found out in seconds, not after the breaker's general-purpose 30 s.
        var probeInterval = _analyzer?.Options.BlacklistProbeInterval ?? ResilienceConstants.DefaultStrategyCircuitCooldown;
        var circuitOptions = _options.CircuitBreaker ?? new CircuitBreakerOptions { ShouldHandle = CountsAgainstCircuit, Cooldown = probeInterval };
        var circuits = new EngineCircuits(circuitFactory
            ?? ((operation, strategy) => new RegistryCircuit(registry.GetOrCreate(EngineCircuits.NameOf(operation, strategy), circuitOptions))));

        // The collaborators, each with its own state; see Engine/Execution/.
        _hooks = new EngineHooks(this, logger);
        var learning = new EngineLearning(_analyzer, logger);
        var budget = new ExecutionBudget(_options, _time);
        var progress = new ProgressReporter(_hooks, budget, _options, _time);
        var randomizer = _options.Randomizer ?? Random.Shared.NextDouble;
        _conditions = new OperatingConditions(health, modes, _options.LoadBalancing, randomizer);
        var escalation = new Escalation(_hooks, learning, budget, _options, _conditions, logger);
        var hedging = new HedgeDelays(_options, learning);
        var recorder = new AttemptRecorder(learning, progress, escalation, budget, hedging, _time, logger);
        var deferrals = new RateLimitDeferrals(_time);
        var executor = new AttemptExecutor(budget, escalation, recorder, progress, deferrals, _time, _options.StrategyTimeout);
        var backoff = new RetrySchedule(RetryOptionsOf(_options), randomizer);
        var retryBudget = new EngineRetryBudget(_options.RetryBudget, _time, logger);
        var schedules = new ScheduleContext(circuits, learning, budget, backoff, retryBudget, _time);
        Express = new EngineExpress(circuits, deferrals, retryBudget, learning, budget, _conditions, _hooks, _options, probeInterval, _time,
            () => _startup.Value.IsCompletedSuccessfully);
        var results = new ResultWriter(budget, learning, _hooks, _options, _time, logger);
        _planner = new Planner(learning, new DemotionProbes(probeInterval), recorder, _conditions, _options.MaxApiCost, _time, logger);
        _sequential = new SequentialRunner(executor, schedules, budget, escalation, progress, results, new DeadlinePool(_time));
        _parallel = new ParallelRunner(executor, schedules, budget, escalation, progress, results, recorder, hedging, _options.MaxParallelStrategies);
    }

    /// <summary>Raised (when <see cref="ResilienceOptions.EnableProgressTracking"/> is on) as attempts start and finish, strategies switch, and periodically. Subscribers' exceptions are logged and ignored.</summary>
    public event EventHandler<ResilienceProgressEventArgs>? Progress
    {
        add => _hooks.AddProgress(value);
        remove => _hooks.RemoveProgress(value);
    }

    /// <summary>Raised once per execution after <see cref="ResilienceOptions.EscalateAfterFailures"/> failed attempts. Subscribers' exceptions are logged and ignored.</summary>
    public event EventHandler<EscalationEventArgs>? Escalated
    {
        add => _hooks.AddEscalated(value);
        remove => _hooks.RemoveEscalated(value);
    }

    /// <summary>The registry holding the circuit of each (operation, strategy) pair, named <c>operation/strategy</c>.</summary>
    public CircuitBreakerRegistry CircuitBreakers { get; }

    /// <summary>The express lane for callers that know the engine's first choice (see <see cref="EngineExpress"/>).</summary>
    internal EngineExpress Express { get; }

    /// <summary>The learning layer the engine records to; <see langword="null"/> when learning is off.</summary>
    public FailureAnalyzer? Analyzer => _analyzer;

    /// <summary>Asked for a new strategy once the given ones are exhausted (when <see cref="ResilienceOptions.EnableCreativeSolving"/> is on).</summary>
    public ICreativeSolver? CreativeSolver
    {
        get => _hooks.CreativeSolver;
        set => _hooks.CreativeSolver = value;
    }

    /// <summary>Asked what to do after <see cref="ResilienceOptions.UserInterventionThreshold"/> failed attempts.</summary>
    public IInterventionHandler? InterventionHandler
    {
        get => _hooks.InterventionHandler;
        set => _hooks.InterventionHandler = value;
    }

    /// <summary>
    /// Executes one operation with retries, a circuit, budgets and learning: the same as
    /// <see cref="ExecuteWithAlternativesAsync{T}(IEnumerable{Strategy{T}}, string, bool, CancellationToken)"/> with one
    /// strategy named after the operation (a creative solver or an intervention may still add strategies).
    /// </summary>
    /// <typeparam name="T">What the operation produces.</typeparam>
    /// <param name="operation">The work; it must honour the token.</param>
    /// <param name="operationName">The operation's name; learning, circuits and the blacklist key on it (case-sensitive).</param>
    /// <param name="context">Context recorded with failures (secrets are redacted by the analyzer).</param>
    /// <param name="cancellationToken">The caller's token: stops everything at once and surfaces as <see cref="OperationCanceledException"/>.</param>
    /// <returns>The result; a failure is in it, never thrown.</returns>
    public ValueTask<ResilienceResult<T>> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, string operationName,
        IReadOnlyDictionary<string, object?>? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentException.ThrowIfNullOrWhiteSpace(operationName);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<ResilienceResult<T>>(cancellationToken);
        }

        var started = EnsureStartedAsync(cancellationToken);
        if (!started.IsCompletedSuccessfully)
        {
            return ExecuteAfterStartAsync(started, operation, operationName, context, cancellationToken);
        }

        var exec = NewExecution<T>(operationName, context);
        var slot = new StrategySlot<T>(operationName, operation, null, 0m);
        return EngineTracing.Enabled ? EngineTracing.TraceAsync(_sequential, exec, slot, null, cancellationToken) : _sequential.RunAsync<T>(exec, slot, null, cancellationToken);
    }

    /// <summary>Executes an operation by the best of several strategies, in rank order or raced.</summary>
    /// <typeparam name="T">What the strategies produce.</typeparam>
    /// <param name="strategies">The strategies; names must be unique.</param>
    /// <param name="operationName">The operation's name (case-sensitive).</param>
    /// <param name="parallel">Race up to <see cref="ResilienceOptions.MaxParallelStrategies"/> strategies at once; the first success wins and the others are cancelled.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result; a failure is in it, never thrown.</returns>
    public ValueTask<ResilienceResult<T>> ExecuteWithAlternativesAsync<T>(IEnumerable<Strategy<T>> strategies, string operationName,
        bool parallel = false, CancellationToken cancellationToken = default) =>
        ExecuteWithAlternativesAsync(strategies, operationName, context: null, parallel, cancellationToken);

    /// <summary>Executes an operation by the best of several strategies, in the given <paramref name="mode"/>.</summary>
    /// <typeparam name="T">What the strategies produce.</typeparam>
    /// <param name="strategies">The strategies; names must be unique.</param>
    /// <param name="operationName">The operation's name (case-sensitive).</param>
    /// <param name="mode">Sequential (one attempt at a time), race, or hedged; see <see cref="ExecutionMode"/>.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result; a failure is in it, never thrown.</returns>
    public ValueTask<ResilienceResult<T>> ExecuteWithAlternativesAsync<T>(IEnumerable<Strategy<T>> strategies, string operationName,
        ExecutionMode mode, CancellationToken cancellationToken = default) =>
        ExecuteWithAlternativesAsync(strategies, operationName, context: null, mode, cancellationToken);

    /// <summary>Executes an operation by the best of several strategies, in rank order or raced, with context for learning.</summary>
    /// <typeparam name="T">What the strategies produce.</typeparam>
    /// <param name="strategies">The strategies; names must be unique.</param>
    /// <param name="operationName">The operation's name (case-sensitive).</param>
    /// <param name="context">Context recorded with failures (secrets are redacted by the analyzer).</param>
    /// <param name="parallel">Race up to <see cref="ResilienceOptions.MaxParallelStrategies"/> strategies at once.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result; a failure is in it, never thrown.</returns>
    public ValueTask<ResilienceResult<T>> ExecuteWithAlternativesAsync<T>(IEnumerable<Strategy<T>> strategies, string operationName,
        IReadOnlyDictionary<string, object?>? context, bool parallel = false, CancellationToken cancellationToken = default) =>
        ExecuteWithAlternativesAsync(strategies, operationName, context, parallel ? ExecutionMode.Race : ExecutionMode.Sequential, cancellationToken);

    /// <summary>Executes an operation by the best of several strategies, in the given <paramref name="mode"/>, with context for learning.</summary>
    /// <typeparam name="T">What the strategies produce.</typeparam>
    /// <param name="strategies">The strategies; names must be unique.</param>
    /// <param name="operationName">The operation's name (case-sensitive).</param>
    /// <param name="context">Context recorded with failures (secrets are redacted by the analyzer).</param>
    /// <param name="mode">Sequential (one attempt at a time), race, or hedged; see <see cref="ExecutionMode"/>.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result; a failure is in it, never thrown.</returns>
    public ValueTask<ResilienceResult<T>> ExecuteWithAlternativesAsync<T>(IEnumerable<Strategy<T>> strategies, string operationName,
        IReadOnlyDictionary<string, object?>? context, ExecutionMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentException.ThrowIfNullOrWhiteSpace(operationName);
        var given = new List<Strategy<T>>(strategies);
        if (given.Count == 0)
        {
            throw new ArgumentException("At least one strategy is needed.", nameof(strategies));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in given)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(strategies));
            s.Validate();
            if (!names.Add(s.Name))
            {
                throw new ArgumentException($"Strategy names must be unique within an operation; '{s.Name}' appears twice.", nameof(strategies));
            }
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<ResilienceResult<T>>(cancellationToken);
        }

        var started = EnsureStartedAsync(cancellationToken);
        if (!started.IsCompletedSuccessfully)
        {
            return ExecuteWithAlternativesAfterStartAsync(started, given, operationName, context, mode, cancellationToken);
        }

        var exec = NewExecution<T>(operationName, context);
        var plan = _planner.Plan(exec, given);
        if (!_options.EnableAlternatives)
        {
            plan.RemoveRange(1, plan.Count - 1);
        }

        if (mode != ExecutionMode.Sequential && _conditions.AllowsParallel && _options.MaxParallelStrategies > 1 && plan.Count > 1)
        {
            var hedged = mode == ExecutionMode.Hedged;
            return EngineTracing.Enabled ? EngineTracing.TraceAsync(_parallel, exec, plan, hedged, cancellationToken) : _parallel.RunAsync(exec, plan, hedged, cancellationToken);
        }

        // The best strategy's first attempt runs before any schedule exists, unless it waits for a blacklist probe.
        StrategySlot<T>? first = plan[0].Blacklisted ? null : StrategySlot<T>.From(plan[0].Strategy);
        return EngineTracing.Enabled ? EngineTracing.TraceAsync(_sequential, exec, first, plan, cancellationToken) : _sequential.RunAsync(exec, first, plan, cancellationToken);
    }

    /// <summary>Blocking counterpart of <see cref="ExecuteAsync{T}"/> for synchronous callers.</summary>
    /// <typeparam name="T">What the operation produces.</typeparam>
    /// <param name="operation">The work; it must honour the token.</param>
    /// <param name="operationName">The operation's name.</param>
    /// <param name="context">Context recorded with failures.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result.</returns>
    public ResilienceResult<T> Execute<T>(Func<CancellationToken, T> operation, string operationName,
        IReadOnlyDictionary<string, object?>? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return Wait(ExecuteAsync(ct => Task.FromResult(operation(ct)), operationName, context, cancellationToken));
    }

    /// <summary>Blocking counterpart of <see cref="ExecuteWithAlternativesAsync{T}(IEnumerable{Strategy{T}}, string, bool, CancellationToken)"/>.</summary>
    /// <typeparam name="T">What the strategies produce.</typeparam>
    /// <param name="strategies">The strategies.</param>
    /// <param name="operationName">The operation's name.</param>
    /// <param name="parallel">Race strategies.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result.</returns>
    public ResilienceResult<T> ExecuteWithAlternatives<T>(IEnumerable<Strategy<T>> strategies, string operationName,
        bool parallel = false, CancellationToken cancellationToken = default) =>
        Wait(ExecuteWithAlternativesAsync(strategies, operationName, parallel, cancellationToken));

    /// <summary>Disposes the analyzer and the persisted circuit registry the engine created (never ones it was given), flushing what they still have to write.</summary>
    /// <returns>A task that completes when disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsAnalyzer && _analyzer is not null)
        {
            await _analyzer.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsCircuitBreakers)
        {
            await CircuitBreakers.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownedCircuitStore is not null)
        {
            await _ownedCircuitStore.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until the engine has what it starts from: the learning loaded from its store
    /// (<see cref="FailureAnalyzer.EnsureLoadedAsync"/>) and, with <see cref="ResilienceOptions.EnablePersistence"/>, the
    /// circuits restored. The first execution does this itself; call it to read the engine's state before executing.
    /// Completes at once, without allocating, once done.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (not the start-up).</param>
    /// <returns>A task that completes when the start-up is done. Store errors never surface here: the analyzer and the
    /// registry log them and go on in memory.</returns>
    public ValueTask EnsureStartedAsync(CancellationToken cancellationToken = default)
    {
        var startup = _startup.Value;
        return startup.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(startup.WaitAsync(cancellationToken));
    }

    private async Task StartAsync()
    {
        if (_analyzer is not null)
        {
            await _analyzer.EnsureLoadedAsync().ConfigureAwait(false);
        }

        if (_ownsCircuitBreakers)
        {
            await CircuitBreakers.RestoreAsync().ConfigureAwait(false);
        }
    }

    // Separate methods, not lambdas: a lambda capturing the parameters would allocate its closure on every call, started or not.
    private async ValueTask<ResilienceResult<T>> ExecuteAfterStartAsync<T>(ValueTask started, Func<CancellationToken, Task<T>> operation, string operationName,
        IReadOnlyDictionary<string, object?>? context, CancellationToken cancellationToken)
    {
        await started.ConfigureAwait(false);
        return await ExecuteAsync(operation, operationName, context, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<ResilienceResult<T>> ExecuteWithAlternativesAfterStartAsync<T>(ValueTask started, List<Strategy<T>> strategies, string operationName,
        IReadOnlyDictionary<string, object?>? context, ExecutionMode mode, CancellationToken cancellationToken)
    {
        await started.ConfigureAwait(false);
        return await ExecuteWithAlternativesAsync(strategies, operationName, context, mode, cancellationToken).ConfigureAwait(false);
    }

    // The service answered, the request was wrong: that says nothing about the service's health.
    private static bool CountsAgainstCircuit(Exception error) =>
        ErrorClassifier.Classify(error) is not (ErrorCategory.InvalidInput or ErrorCategory.NotFound);

    /// <summary>The engine's backoff as the retry primitive's options, so both wait by one rule (<see cref="RetrySchedule"/>).</summary>
    private static RetryOptions RetryOptionsOf(ResilienceOptions o) => new()
    {
        InitialDelay = o.InitialDelay,
        MaxDelay = o.MaxDelay,
        BackoffFactor = o.BackoffFactor,
        Jitter = true,
    };

    private static ResilienceResult<T> Wait<T>(ValueTask<ResilienceResult<T>> task) =>
        task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    private ResilienceResult<T> NewExecution<T>(string operationName, IReadOnlyDictionary<string, object?>? context) =>
        new(operationName, context, _time.GetUtcNow(), _time.GetTimestamp());
}
