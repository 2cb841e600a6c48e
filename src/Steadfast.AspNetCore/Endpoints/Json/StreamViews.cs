namespace Steadfast.AspNetCore.Endpoints.Json;

/// <summary>The <c>metrics</c> event: per circuit, the calls and failures since the previous one (the sparklines).</summary>
internal sealed record MetricsEvent(DateTimeOffset At, IReadOnlyList<CircuitTick> Circuits, long Attempts, long FailedAttempts);

/// <summary>One circuit in a <see cref="MetricsEvent"/>.</summary>
internal sealed record CircuitTick(string Name, CircuitState State, long Calls, long Failures, long Rejections);

/// <summary>The <c>attempt</c> event: an engine attempt finished (sampled).</summary>
internal sealed record AttemptEvent(string Operation, string? Strategy, int Attempt, AttemptOutcome? Outcome, double ElapsedMs, DateTimeOffset At);

/// <summary>The <c>hello</c> event, first on every stream.</summary>
internal sealed record HelloEvent(bool Mutations, double IntervalSeconds, DateTimeOffset At);
