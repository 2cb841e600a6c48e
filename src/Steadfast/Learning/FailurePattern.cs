namespace Steadfast;

/// <summary>The failure patterns <see cref="FailureAnalyzer"/> recognises among an operation's recent failures.</summary>
public enum FailurePattern
{
    /// <summary>No pattern: too few failures, or nothing in common.</summary>
    None = 0,

    /// <summary>The same error again and again.</summary>
    Repeating,

    /// <summary>Different errors close together: one failure dragging others along.</summary>
    Cascading,

    /// <summary>Successes and failures alternate.</summary>
    Intermittent,

    /// <summary>The call cannot succeed as it is: non-transient errors with no success between them.</summary>
    Permanent,

    /// <summary>One service fails in several different ways.</summary>
    UnstableService,
}
