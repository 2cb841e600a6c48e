namespace Steadfast;

/// <summary>How often one operation failed.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="FailureCount">How many failures it had.</param>
public sealed record OperationFailureCount(string Operation, long FailureCount);
