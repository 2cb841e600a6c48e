namespace Steadfast;

/// <summary>How bad an error is; it decides the base recovery actions of an <see cref="ErrorRecoveryOrchestrator"/>.</summary>
public enum ErrorSeverity
{
    /// <summary>Transient: retry.</summary>
    Low = 0,

    /// <summary>Retry, and fall back if it keeps failing.</summary>
    Medium,

    /// <summary>Break the component's circuit and fall back.</summary>
    High,

    /// <summary>Full recovery and an operator alert.</summary>
    Critical,

    /// <summary>Full recovery and an operator alert; the highest level (it cannot escalate further).</summary>
    Fatal,
}
