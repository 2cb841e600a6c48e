namespace Steadfast;

/// <summary>A recurring error pattern (component + error type) in a <see cref="RecoverySystemStatus"/>.</summary>
/// <param name="Component">The component.</param>
/// <param name="ErrorType">The error's type name.</param>
/// <param name="Count">Occurrences within <see cref="RecoveryOptions.PatternWindow"/>.</param>
/// <param name="FirstSeen">The oldest occurrence still in the window.</param>
/// <param name="LastSeen">The newest occurrence.</param>
/// <param name="Escalating">Whether the next error of this pattern escalates (its count is above the threshold).</param>
public sealed record ErrorPatternStatus(string Component, string ErrorType, int Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, bool Escalating);
