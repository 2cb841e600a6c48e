using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Steadfast.Telemetry;

/// <summary>
/// The instruments of retry, timeout, rate limit, fallback and the executor. Every measurement carries the
/// tag <c>steadfast.policy.name</c> (the policy's or executor's name) so dashboards can tell services apart.
/// </summary>
internal static class PrimitiveMetrics
{
    /// <summary>The tag that carries the policy's or executor's name.</summary>
    public const string NameTag = "steadfast.policy.name";

    /// <summary>The tag that carries an executor call's outcome: success, fallback or failure.</summary>
    public const string OutcomeTag = "steadfast.outcome";

    public static readonly Counter<long> Retries = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.retry.retries", "{retry}", "Retries scheduled after a failed attempt.");

    public static readonly Counter<long> Timeouts = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.timeout.timeouts", "{timeout}", "Attempts cancelled because they ran past their timeout.");

    public static readonly Counter<long> RateLimitRejections = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.ratelimit.rejections", "{rejection}", "Calls refused by a rate limiter or bulkhead.");

    public static readonly Counter<long> Fallbacks = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.fallback.invocations", "{fallback}", "Fallbacks invoked after the operation failed.");

    public static readonly Counter<long> ExecutorCalls = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.executor.calls", "{call}", "Calls through a ResilientExecutor, by outcome.");

    public static readonly Histogram<double> AttemptDuration = SteadfastTelemetry.Meter.CreateHistogram<double>(
        "steadfast.attempt.duration", "s", "Duration of one attempt of an operation, rejections included.");

    public static TagList Name(string name) => new() { { NameTag, name } };
}
