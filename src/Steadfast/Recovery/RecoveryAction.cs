namespace Steadfast;

/// <summary>
/// Recovery actions, combinable: a <see cref="RecoveryDecision"/> holds a set of them. The orchestrator carries out
/// <see cref="CircuitBreak"/> and <see cref="Alert"/> itself; <see cref="Retry"/>, <see cref="Fallback"/> and
/// <see cref="FullRecovery"/> are for the caller (and for subscribers of <see cref="RecoveryActionTaken"/>).
/// </summary>
[Flags]
public enum RecoveryAction
{
    /// <summary>No action.</summary>
    None = 0,

    /// <summary>Try the operation again.</summary>
    Retry = 1,

    /// <summary>Answer with a fallback (a cached value, a simpler path).</summary>
    Fallback = 2,

    /// <summary>Open the component's circuit for its cooldown, so callers fail fast and it is probed afterwards.</summary>
    CircuitBreak = 4,

    /// <summary>Alert an operator (throttled per component).</summary>
    Alert = 8,

    /// <summary>Run the full recovery workflow (restart, failover, reinitialise) for the component.</summary>
    FullRecovery = 16,
}
