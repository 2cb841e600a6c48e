namespace Steadfast.AspNetCore.Endpoints.Json;

/// <summary>One circuit as <c>GET circuits</c> shows it; <see cref="LastError"/> redacted.</summary>
internal sealed record CircuitView(
    string Name,
    CircuitState State,
    int FailureCount,
    DateTimeOffset? LastFailureAt,
    string? LastError,
    DateTimeOffset? OpenedAt,
    double? RetryAfterSeconds,
    int ConsecutiveOpenings,
    CallCounts Calls)
{
    public static CircuitView Of(CircuitBreaker breaker)
    {
        var status = breaker.GetStatus();
        var metrics = breaker.GetMetrics();
        return new CircuitView(
            status.Name,
            status.State,
            status.FailureCount,
            status.LastFailureAt,
            Redact.Text(status.LastError),
            status.OpenedAt,
            status.RetryAfter?.TotalSeconds,
            status.ConsecutiveOpenings,
            new CallCounts(metrics.TotalCalls, metrics.Successes, metrics.Failures, metrics.Rejections, metrics.SuccessRate));
    }
}

/// <summary>A circuit's cumulative call counts.</summary>
internal sealed record CallCounts(long Total, long Successes, long Failures, long Rejections, double SuccessRate);

/// <summary>The body of <c>POST circuits/{name}/state</c>: <c>close</c>, <c>isolate</c> or <c>reset</c>.</summary>
internal sealed record CircuitStateRequest(string? State);

/// <summary>The <c>circuit</c> event: a circuit changed state.</summary>
internal sealed record CircuitEvent(CircuitView Circuit, CircuitState Previous, CircuitTransitionReason Reason, DateTimeOffset At);
