namespace Steadfast;

/// <summary>One reason the system is not in <see cref="OperationMode.Normal"/>.</summary>
/// <param name="Component">The degraded component, or <see langword="null"/> for a mode set by hand.</param>
/// <param name="Description">Why (redacted).</param>
/// <param name="Mode">The mode this reason alone calls for.</param>
/// <param name="Since">Since when it holds.</param>
public sealed record DegradationReason(string? Component, string Description, OperationMode Mode, DateTimeOffset Since);
