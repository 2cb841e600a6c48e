namespace Steadfast;

/// <summary>The most likely root cause of a set of failures.</summary>
/// <param name="Category">The dominant error category.</param>
/// <param name="Description">A one-line explanation naming the evidence.</param>
public sealed record RootCause(ErrorCategory Category, string Description);
