namespace Steadfast.Recovery.Tracking;

/// <summary>The base actions of each severity (seed 003): Low retries; Medium retries and falls back; High breaks the circuit and falls back; Critical and Fatal run the full recovery and alert.</summary>
internal static class SeverityRules
{
    public static RecoveryAction ActionsFor(ErrorSeverity severity) => severity switch
    {
        ErrorSeverity.Low => RecoveryAction.Retry,
        ErrorSeverity.Medium => RecoveryAction.Retry | RecoveryAction.Fallback,
        ErrorSeverity.High => RecoveryAction.CircuitBreak | RecoveryAction.Fallback,
        _ => RecoveryAction.FullRecovery | RecoveryAction.Alert,
    };

    /// <summary>One level up, except Fatal, which is the top.</summary>
    public static ErrorSeverity Escalate(ErrorSeverity severity) => severity == ErrorSeverity.Fatal ? severity : severity + 1;
}
