namespace Steadfast;

/// <summary>How often one error type occurred.</summary>
/// <param name="ErrorType">The exception type name.</param>
/// <param name="Count">How many failures had it.</param>
public sealed record ErrorTypeCount(string ErrorType, long Count);
