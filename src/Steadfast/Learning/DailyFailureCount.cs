namespace Steadfast;

/// <summary>Failures on one UTC day.</summary>
/// <param name="Date">The day (UTC).</param>
/// <param name="Count">Failures recorded that day.</param>
public sealed record DailyFailureCount(DateOnly Date, long Count);
