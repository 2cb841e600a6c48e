namespace Steadfast.Chaos.Load;

/// <summary>How hard and how long to call: <paramref name="Callers"/> loops for <paramref name="Duration"/>, each call bounded by <paramref name="Deadline"/>.</summary>
internal sealed record LoadPlan(TimeSpan Duration, int Callers, TimeSpan Deadline, int Seed);
