using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// What one circuit reports about itself: the cumulative counts behind <see cref="CircuitBreaker.GetMetrics"/>, the
/// instruments on <see cref="SteadfastTelemetry.Meter"/> (shared by every circuit, tagged with its name) and its logs.
/// </summary>
/// <remarks>
/// Every recording first checks <see cref="Instrument.Enabled"/>, so a process nobody listens to pays a field read,
/// not a tag list. The counts are interlocked and lock-free: a closed circuit's success path counts here.
/// </remarks>
internal sealed class CircuitBreakerTelemetry(string circuit, TimeProvider time, ILogger logger)
{
    public const string CircuitTag = "steadfast.circuit.name";
    public const string OutcomeTag = "steadfast.outcome";
    public const string StateTag = "steadfast.circuit.state";
    public const string FromStateTag = "steadfast.circuit.from_state";
    public const string ToStateTag = "steadfast.circuit.to_state";
    public const string ReasonTag = "steadfast.circuit.reason";
    public const string ExceptionTypeTag = "error.type";

    public const string OutcomeSuccess = "success";
    public const string OutcomeFailure = "failure";
    public const string OutcomeIgnored = "ignored";

    public static readonly Counter<long> Calls = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.circuit.calls", "{call}", "Calls that passed through a circuit breaker and completed, by outcome.");

    public static readonly Counter<long> Failures = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.circuit.failures", "{call}", "Handled failures counted against a circuit.");

    public static readonly Counter<long> Rejections = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.circuit.rejections", "{call}", "Calls a circuit refused without invoking them.");

    public static readonly Counter<long> Transitions = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.circuit.transitions", "{transition}", "Circuit state changes.");

    public static readonly Histogram<double> AttemptDuration = SteadfastTelemetry.Meter.CreateHistogram<double>(
        "steadfast.circuit.attempt.duration", "s", "Duration of calls a circuit admitted, by outcome.");

    private long _successes;
    private long _failures;
    private long _rejections;
    private long _ignored;

    /// <summary>The circuit's logger, also for the failures of its event subscribers.</summary>
    public ILogger Logger => logger;

    /// <summary>A timestamp to measure an admitted call from; 0 (nothing to measure) while nobody listens to durations.</summary>
    public long StartTiming() => AttemptDuration.Enabled ? time.GetTimestamp() : 0;

    public CircuitBreakerMetrics GetMetrics() => new()
    {
        Successes = Interlocked.Read(ref _successes),
        Failures = Interlocked.Read(ref _failures),
        Rejections = Interlocked.Read(ref _rejections),
        Ignored = Interlocked.Read(ref _ignored),
    };

    public void CountSuccess(long started)
    {
        Interlocked.Increment(ref _successes);
        RecordCall(OutcomeSuccess, started);
    }

    public void CountFailure(Exception? exception, long started)
    {
        Interlocked.Increment(ref _failures);
        if (Failures.Enabled)
        {
            Failures.Add(1, new TagList { { CircuitTag, circuit }, { ExceptionTypeTag, exception?.GetType().FullName ?? "result" } });
        }

        RecordCall(OutcomeFailure, started);
    }

    /// <summary>Counts a call that ended without an outcome the circuit counts (declined, cancelled by its caller, abandoned).</summary>
    public void CountIgnored(long started)
    {
        Interlocked.Increment(ref _ignored);
        RecordCall(OutcomeIgnored, started);
    }

    public void CountRejection(CircuitState state)
    {
        Interlocked.Increment(ref _rejections);
        if (Rejections.Enabled)
        {
            Rejections.Add(1, new TagList { { CircuitTag, circuit }, { StateTag, StateName(state) } });
        }

        Log.CircuitRejectedCall(logger, circuit, state);
    }

    public void ReportTransition(in CircuitTransition t)
    {
        if (t.To == CircuitState.Open)
        {
            Log.CircuitOpened(logger, circuit, t.From, t.To, t.Reason, t.Cooldown, t.LastError);
        }
        else
        {
            Log.CircuitStateChanged(logger, circuit, t.From, t.To, t.Reason);
        }

        if (Transitions.Enabled)
        {
            Transitions.Add(1, new TagList
            {
                { CircuitTag, circuit },
                { FromStateTag, StateName(t.From) },
                { ToStateTag, StateName(t.To) },
                { ReasonTag, t.Reason.ToString() },
            });
        }
    }

    public void ReportPredicateFailure(Exception predicateError) => Log.CircuitShouldHandleFailed(logger, circuit, predicateError);

    // Cached lower-case names, so a tag never formats an enum.
    private static string StateName(CircuitState state) => state switch
    {
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half_open",
        CircuitState.Isolated => "isolated",
        _ => "unknown",
    };

    private void RecordCall(string outcome, long started)
    {
        if (Calls.Enabled)
        {
            Calls.Add(1, new TagList { { CircuitTag, circuit }, { OutcomeTag, outcome } });
        }

        if (started != 0 && AttemptDuration.Enabled)
        {
            AttemptDuration.Record(time.GetElapsedTime(started).TotalSeconds, new TagList { { CircuitTag, circuit }, { OutcomeTag, outcome } });
        }
    }
}
