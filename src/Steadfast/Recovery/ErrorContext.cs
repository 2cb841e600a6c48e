namespace Steadfast;

/// <summary>An error handed to <see cref="ErrorRecoveryOrchestrator.HandleErrorAsync"/>: what failed, where, and how badly.</summary>
public sealed class ErrorContext
{
    /// <summary>Creates the context.</summary>
    /// <param name="exception">The error.</param>
    /// <param name="component">The component that failed (the key of its circuit, its alerts and its patterns).</param>
    /// <param name="operation">The operation that failed.</param>
    /// <param name="severity">How bad it is.</param>
    /// <exception cref="ArgumentException"><paramref name="component"/> is empty.</exception>
    public ErrorContext(Exception exception, string component, string operation = "", ErrorSeverity severity = ErrorSeverity.Medium)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentNullException.ThrowIfNull(operation);
        if (!Enum.IsDefined(severity))
        {
            throw new ArgumentOutOfRangeException(nameof(severity), severity, "Must be Low, Medium, High, Critical or Fatal.");
        }

        Exception = exception;
        Component = component;
        Operation = operation;
        Severity = severity;
    }

    /// <summary>The error.</summary>
    public Exception Exception { get; }

    /// <summary>The component that failed.</summary>
    public string Component { get; }

    /// <summary>The operation that failed (may be empty).</summary>
    public string Operation { get; }

    /// <summary>How bad it is.</summary>
    public ErrorSeverity Severity { get; }

    /// <summary>The error's type name: with <see cref="Component"/>, the key of its pattern.</summary>
    public string ErrorType => Exception.GetType().FullName ?? Exception.GetType().Name;
}
