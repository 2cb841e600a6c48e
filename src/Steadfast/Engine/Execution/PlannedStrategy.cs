namespace Steadfast;

/// <summary>One strategy of an execution's plan, in rank order; a blacklisted one waits for its recovery probe.</summary>
internal readonly record struct PlannedStrategy<T>(Strategy<T> Strategy, bool Blacklisted);
