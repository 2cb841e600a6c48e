using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Limits retries to a share of calls, so an outage cannot multiply the load on a failing service: over a sliding
/// window, retries may make up <see cref="RetryBudgetOptions.Ratio"/> of the calls plus a small reserve
/// (<see cref="RetryBudgetOptions.MinRetriesPerSecond"/>). Finagle's retry budget, Envoy's retry budgets and gRPC's retry
/// throttling do the same. Share one budget among everything that calls the same service. Thread-safe.
/// </summary>
/// <remarks>
/// Call <see cref="RecordCall"/> once per call (a first attempt) and <see cref="TryAcquireRetry"/> before each retry;
/// a refused retry is not made. A retry is allowed while
/// <c>retries + 1 ≤ Ratio × calls + MinRetriesPerSecond × Window.TotalSeconds</c> over the last
/// <see cref="RetryBudgetOptions.Window"/>; calls and retries leave the window a tenth of it at a time. Both methods take
/// one short lock and allocate nothing. Each refusal adds 1 to <c>steadfast.retry.budget.refused</c>; the first refusal
/// of an episode logs a warning (event 1102) and the first retry allowed after it an information (event 1103).
/// Polly pipelines: <see cref="RetryBudgetBuilderExtensions.AddSteadfastRetryBudget{TBuilder}"/>; Steadfast's retry:
/// <see cref="RetryOptions.Budget"/> (a budget per policy).
/// </remarks>
/// <example>
/// <code>
/// var budget = new RetryBudget("payments", new RetryBudgetOptions { Ratio = 0.1 });
/// budget.RecordCall();                                   // every call
/// if (failed &amp;&amp; budget.TryAcquireRetry()) { /* retry */ }   // every retry
/// </code>
/// </example>
public sealed class RetryBudget
{
    // Ratio × calls is computed in floating point (0.1 × 30 = 3.0000000000000004); the slack keeps whole limits exact.
    private const double Slack = 1e-9;

    private readonly Lock _lock = new();
    private readonly RetryBudgetWindow _window;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TagList _tags;
    private readonly double _ratio;
    private readonly double _reserve;
    private readonly double _windowSeconds;
    private long _refused;
    private long _refusedThisEpisode;
    private bool _refusing;

    /// <summary>Creates a budget named <c>retry-budget</c>.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults (20 % of calls, 10 retries a second, 10 s). Validated and copied here.</param>
    /// <param name="timeProvider">The clock of the sliding window; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public RetryBudget(RetryBudgetOptions? options = null, TimeProvider? timeProvider = null)
        : this(null, options, timeProvider)
    {
    }

    /// <summary>Creates a budget.</summary>
    /// <param name="name">The name in logs and metrics (<c>steadfast.policy.name</c>); <see langword="null"/> for <c>retry-budget</c>.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults. Validated and copied here.</param>
    /// <param name="timeProvider">The clock of the sliding window; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where refusal episodes are logged (category <c>Steadfast.RetryBudget</c>); <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentException">The name is empty or white space, or an option is invalid.</exception>
    public RetryBudget(string? name, RetryBudgetOptions? options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(name, options, timeProvider ?? TimeProvider.System, loggerFactory.CreateRedactingLogger<RetryBudget>())
    {
    }

    /// <summary>A budget that logs where its owner logs (a retry policy, an executor, the engine).</summary>
    internal RetryBudget(string? name, RetryBudgetOptions? options, TimeProvider timeProvider, ILogger logger)
    {
        Name = Guard.NotNullOrWhiteSpace(name ?? RetryBudgetConstants.DefaultName, nameof(RetryBudget), nameof(name));
        options = options?.Clone() ?? new RetryBudgetOptions();
        options.Validate();
        _time = timeProvider;
        _logger = logger;
        _tags = PolicyTags.For(Name);
        _ratio = options.Ratio;
        _windowSeconds = options.Window.TotalSeconds;
        _reserve = options.MinRetriesPerSecond * _windowSeconds;
        _window = new RetryBudgetWindow(options.Window, _time.TimestampFrequency, _time.GetTimestamp());
    }

    /// <summary>The budget's name.</summary>
    public string Name { get; }

    /// <summary>The calls recorded in the current window.</summary>
    public long CallsInWindow
    {
        get
        {
            lock (_lock)
            {
                _window.Slide(_time.GetTimestamp());
                return _window.Calls;
            }
        }
    }

    /// <summary>The retries allowed in the current window.</summary>
    public long RetriesInWindow
    {
        get
        {
            lock (_lock)
            {
                _window.Slide(_time.GetTimestamp());
                return _window.Retries;
            }
        }
    }

    /// <summary>How many retries <see cref="TryAcquireRetry"/> would allow now, one after another (0 while refusing).</summary>
    public long AvailableRetries
    {
        get
        {
            lock (_lock)
            {
                _window.Slide(_time.GetTimestamp());
                var available = Math.Floor(Limit_NeedsLock() + Slack) - _window.Retries;
                return available > 0 ? (long)available : 0;
            }
        }
    }

    /// <summary>The retries refused since the budget was created.</summary>
    public long RefusedRetries
    {
        get
        {
            lock (_lock)
            {
                return _refused;
            }
        }
    }

    /// <summary>Counts a call (a first attempt); each call lets <see cref="RetryBudgetOptions.Ratio"/> more retries through.</summary>
    public void RecordCall() => RecordCallAt(_time.GetTimestamp());

    /// <summary>Counts a call at <paramref name="timestamp"/>, a timestamp of this budget's clock the caller read already.</summary>
    internal void RecordCallAt(long timestamp)
    {
        lock (_lock)
        {
            _window.Slide(timestamp);
            _window.AddCall();
        }
    }

    /// <summary>
    /// Asks to retry: <see langword="true"/> (and the retry is counted) while the window's retries stay within the
    /// budget; <see langword="false"/> when the retry must not be made.
    /// </summary>
    /// <returns>Whether the retry may be made.</returns>
    public bool TryAcquireRetry()
    {
        long calls = 0, retries = 0, refusedInEpisode = 0;
        bool allowed, episodeStarted = false;
        lock (_lock)
        {
            _window.Slide(_time.GetTimestamp());
            allowed = _window.Retries + 1 <= Limit_NeedsLock() + Slack;
            if (allowed)
            {
                _window.AddRetry();
                if (_refusing)
                {
                    _refusing = false;
                    refusedInEpisode = _refusedThisEpisode;
                    _refusedThisEpisode = 0;
                }
            }
            else
            {
                _refused++;
                _refusedThisEpisode++;
                if (!_refusing)
                {
                    _refusing = true;
                    episodeStarted = true;
                    calls = _window.Calls;
                    retries = _window.Retries;
                }
            }
        }

        // Metric listeners and loggers are user code: never under the lock.
        if (!allowed)
        {
            RetryTelemetry.BudgetRefused.Add(1, _tags);
            if (episodeStarted)
            {
                Log.RetryBudgetExhausted(_logger, Name, retries, calls, _windowSeconds, _ratio, _reserve);
            }

            return false;
        }

        if (refusedInEpisode > 0)
        {
            Log.RetryBudgetRefilled(_logger, Name, refusedInEpisode);
        }

        return true;
    }

    private double Limit_NeedsLock() => (_ratio * _window.Calls) + _reserve;
}
