using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Executes an operation and never gives up while a way is left: each strategy is retried with exponential backoff
/// and jitter (Polly's retry, every attempt bounded by <see cref="ResilienceOptions.StrategyTimeout"/>), guarded by a
/// circuit per (operation, strategy); when a strategy fails for good the next-ranked one is tried (in order, or raced
/// in parallel), within the time, attempt and cost budgets. Every attempt is recorded by the <see cref="FailureAnalyzer"/>,
/// which ranks and blacklists strategies for the next call. The result says what happened and what to do next.
/// </summary>
/// <remarks>
/// <para>Ranking: <c>score = Priority × (successes + 1) / (attempts + 2) × 1 / (1 + meanLatency / 1 s) × 1 / (1 + Cost / MaxApiCost)</c>,
/// best first; see docs/engine.md.</para>
/// <para>Only the caller's cancellation throws (<see cref="OperationCanceledException"/>); every other failure is in the result.</para>
/// </remarks>
public sealed partial class ResilienceEngine : IAsyncDisposable
{
    private static readonly Counter<long> ExecutionsCounter = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.engine.executions", unit: "{execution}", description: "Engine executions, by operation and stop reason.");

    private static readonly Counter<long> AttemptsCounter = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.engine.attempts", unit: "{attempt}", description: "Engine attempts, by operation, strategy and outcome.");

    private static readonly Counter<long> EscalationsCounter = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.engine.escalations", unit: "{escalation}", description: "Executions escalated after too many failures.");

    private static readonly string[] StopReasonNames = Enum.GetNames<StopReason>();
    private static readonly string[] OutcomeNames = Enum.GetNames<AttemptOutcome>();

    /// <summary>Returned to Polly's retry to mean "do not retry this strategy"; the real error is in the run's scratch. Never escapes.</summary>
    private static readonly Exception NoRetry = new SteadfastException("Steadfast internal: stop retrying this strategy.");

    private readonly ResilienceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FailureAnalyzer? _analyzer;
    private readonly bool _ownsAnalyzer;
    private readonly bool _ownsCircuitBreakers;
    private readonly ResiliencePipeline _pipeline;
    private readonly EngineCircuits _circuits;
    private readonly DeadlinePool _deadlines;
    private readonly Func<double> _random;

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
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ResilienceEngine(ResilienceOptions? options = null, FailureAnalyzer? analyzer = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null,
        CircuitBreakerRegistry? circuitBreakers = null)
        : this(options, analyzer, timeProvider, loggerFactory, circuitBreakers, circuitFactory: null, randomizer: null)
    {
    }

    internal ResilienceEngine(ResilienceOptions? options, FailureAnalyzer? analyzer, TimeProvider? timeProvider, ILoggerFactory? loggerFactory,
        CircuitBreakerRegistry? circuitBreakers, Func<string, string, IEngineCircuit>? circuitFactory, Func<double>? randomizer)
    {
        var copy = (options ?? new ResilienceOptions()).Clone();
        copy.Validate();
        _options = copy;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)loggerFactory?.CreateLogger<ResilienceEngine>() ?? NullLogger.Instance;
        if (_options.EnableLearning)
        {
            _analyzer = analyzer;
            if (_analyzer is null)
            {
                _analyzer = new FailureAnalyzer(_options.PatternDetectionThreshold, _options.EnablePersistence, _options.PersistencePath, _time, loggerFactory);
                _ownsAnalyzer = true;
            }
        }

        _random = randomizer ?? Random.Shared.NextDouble;
        if (circuitBreakers is null && _options.EnablePersistence)
        {
            // Circuits live in the same file as the learning; restored now so a circuit open before a restart stays open for the
            // rest of its cooldown. RestoreAsync logs and swallows store errors: a bad file never stops the engine from starting.
            var store = new SqliteCircuitStateStore(_options.PersistencePath ?? FailureAnalyzerConstants.DefaultDatabasePath, loggerFactory);
            circuitBreakers = new CircuitBreakerRegistry(store: store, timeProvider: _time, loggerFactory: loggerFactory);
            var restoring = circuitBreakers;
            Task.Run(async () => await restoring.RestoreAsync().ConfigureAwait(false)).GetAwaiter().GetResult();
            _ownsCircuitBreakers = true;
        }

        CircuitBreakers = circuitBreakers ?? new CircuitBreakerRegistry(timeProvider: _time, loggerFactory: loggerFactory);
        var registry = CircuitBreakers;
        var circuitOptions = _options.CircuitBreaker ?? new CircuitBreakerOptions { ShouldHandle = CountsAgainstCircuit };
        _circuits = new EngineCircuits(circuitFactory
            ?? ((operation, strategy) => new RegistryCircuit(registry.GetOrCreate(EngineCircuits.NameOf(operation, strategy), circuitOptions))));
        _deadlines = new DeadlinePool(_time);
        _pipeline = BuildPipeline();
    }

    /// <summary>Raised (when <see cref="ResilienceOptions.EnableProgressTracking"/> is on) as attempts start and finish, strategies switch, and periodically. Subscribers' exceptions are logged and ignored.</summary>
    public event EventHandler<ResilienceProgressEventArgs>? Progress;

    /// <summary>Raised once per execution after <see cref="ResilienceOptions.EscalateAfterFailures"/> failed attempts. Subscribers' exceptions are logged and ignored.</summary>
    public event EventHandler<EscalationEventArgs>? Escalated;

    /// <summary>The registry holding the circuit of each (operation, strategy) pair, named <c>operation/strategy</c>.</summary>
    public CircuitBreakerRegistry CircuitBreakers { get; }

    /// <summary>The learning layer the engine records to; <see langword="null"/> when learning is off.</summary>
    public FailureAnalyzer? Analyzer => _analyzer;

    /// <summary>Asked for a new strategy once the given ones are exhausted (when <see cref="ResilienceOptions.EnableCreativeSolving"/> is on).</summary>
    public ICreativeSolver? CreativeSolver { get; set; }

    /// <summary>Asked what to do after <see cref="ResilienceOptions.UserInterventionThreshold"/> failed attempts.</summary>
    public IInterventionHandler? InterventionHandler { get; set; }

    private bool ProgressOn => _options.EnableProgressTracking && Progress is not null;

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
        ArgumentException.ThrowIfNullOrEmpty(operationName);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<ResilienceResult<T>>(cancellationToken);
        }

        var exec = NewExecution<T>(operationName, context);
        var slot = new Slot<T>(operationName, operation, null, 0m);
        return Tracing ? TraceSequentialAsync(exec, slot, null, cancellationToken) : ExecuteSequentialAsync(exec, slot, null, cancellationToken);
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

    /// <summary>Executes an operation by the best of several strategies, in rank order or raced, with context for learning.</summary>
    /// <typeparam name="T">What the strategies produce.</typeparam>
    /// <param name="strategies">The strategies; names must be unique.</param>
    /// <param name="operationName">The operation's name (case-sensitive).</param>
    /// <param name="context">Context recorded with failures (secrets are redacted by the analyzer).</param>
    /// <param name="parallel">Race up to <see cref="ResilienceOptions.MaxParallelStrategies"/> strategies at once.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result; a failure is in it, never thrown.</returns>
    public ValueTask<ResilienceResult<T>> ExecuteWithAlternativesAsync<T>(IEnumerable<Strategy<T>> strategies, string operationName,
        IReadOnlyDictionary<string, object?>? context, bool parallel = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentException.ThrowIfNullOrEmpty(operationName);
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

        var exec = NewExecution<T>(operationName, context);
        var plan = Plan(exec, given);
        if (!_options.EnableAlternatives)
        {
            plan.RemoveRange(1, plan.Count - 1);
        }

        if (parallel && _options.MaxParallelStrategies > 1 && plan.Count > 1)
        {
            return Tracing ? TraceParallelAsync(exec, plan, cancellationToken) : ExecuteParallelAsync(exec, plan, cancellationToken);
        }

        var first = Slot<T>.From(plan[0]);
        plan.RemoveAt(0);
        return Tracing ? TraceSequentialAsync(exec, first, plan, cancellationToken) : ExecuteSequentialAsync(exec, first, plan, cancellationToken);
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
    }

    // The service answered, the request was wrong: that says nothing about the service's health.
    private static bool CountsAgainstCircuit(Exception error) =>
        ErrorClassifier.Classify(error) is not (ErrorCategory.InvalidInput or ErrorCategory.NotFound);

    private static ResilienceResult<T> Wait<T>(ValueTask<ResilienceResult<T>> task) =>
        task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    private ResilienceResult<T> NewExecution<T>(string operationName, IReadOnlyDictionary<string, object?>? context) =>
        new(operationName, context, _time.GetUtcNow(), _time.GetTimestamp());

    private int NextInterventionAt<T>(ResilienceResult<T> exec) => exec.Details?.NextInterventionAt ?? _options.UserInterventionThreshold;

    private ResiliencePipeline BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time, Name = "Steadfast.Engine" };
        if (_options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.BaseDelay,
                MaxDelay = _options.MaxDelay,

                // The attempt itself decides whether its strategy may go on (transient error, budgets, retry-after within
                // the deadline) and answers NoRetry when not, so the predicate stays trivial and allocation-free.
                ShouldHandle = static args => new ValueTask<bool>(args.Outcome.Exception is { } e && !ReferenceEquals(e, NoRetry)),
                DelayGenerator = GenerateDelay,
                Randomizer = _random,
            });
        }

        builder.AddTimeout(_options.StrategyTimeout);
        return builder.Build();
    }

    private ValueTask<TimeSpan?> GenerateDelay(RetryDelayGeneratorArguments<object> args)
    {
        // A service that says when to come back is believed, even beyond MaxDelay (the deadline still bounds it).
        if (args.Outcome.Exception is { } e && ErrorClassifier.TryGetRetryAfter(e, out var hint))
        {
            return new ValueTask<TimeSpan?>(hint);
        }

        // Polly's exponential backoff with jitter grows by 2; other factors are computed here with ±25 % jitter.
        if (_options.BackoffFactor == ResilienceConstants.DefaultBackoffFactor)
        {
            return new ValueTask<TimeSpan?>((TimeSpan?)null);
        }

        var seconds = _options.BaseDelay.TotalSeconds * Math.Pow(_options.BackoffFactor, args.AttemptNumber);
        seconds = Math.Min(seconds, _options.MaxDelay.TotalSeconds) * (0.75 + (0.5 * _random()));
        return new ValueTask<TimeSpan?>(TimeSpan.FromSeconds(Math.Min(seconds, _options.MaxDelay.TotalSeconds)));
    }

    private TimeSpan Elapsed<T>(ResilienceResult<T> exec) => _time.GetElapsedTime(exec.StartTimestamp);

    private TimeSpan TimeLeft<T>(ResilienceResult<T> exec)
    {
        var left = _options.MaxTotalTime - Elapsed(exec);
        return left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    /// <summary>One strategy's work, without allocating a <see cref="Strategy{T}"/> for single operations.</summary>
    private readonly record struct Slot<T>(string Name, Func<CancellationToken, Task<T>> Operation, Func<AttemptContext, CancellationToken, Task<T>>? Contextual, decimal Cost)
    {
        public static Slot<T> From(Strategy<T> s) => new(s.Name, s.Operation, s.ContextualOperation, s.Cost);
    }
}
