namespace Steadfast;

/// <summary>Published on the <see cref="IEventBus"/> for every error an <see cref="ErrorRecoveryOrchestrator"/> handles.</summary>
/// <param name="Component">The component that failed.</param>
/// <param name="Operation">The operation that failed.</param>
/// <param name="ErrorType">The error's type name.</param>
/// <param name="Message">The error's message (redacted).</param>
/// <param name="Severity">The severity it was reported with.</param>
/// <param name="At">When it was handled.</param>
public sealed record ErrorRecorded(string Component, string Operation, string ErrorType, string Message, ErrorSeverity Severity, DateTimeOffset At);
