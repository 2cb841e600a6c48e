namespace Steadfast;

/// <summary>Configures an <see cref="ErrorRecoveryOrchestrator"/>. The orchestrator copies the values when it is built and validates them there.</summary>
public sealed class RecoveryOptions
{
    /// <summary>
    /// When the same pattern (component + error type) recurs more than this many times within <see cref="PatternWindow"/>,
    /// the decision escalates one severity level. Allowed: 1 to 10000.
    /// </summary>
    /// <value>The default is 5.</value>
    public int PatternEscalationThreshold { get; set; } = RecoveryConstants.DefaultPatternEscalationThreshold;

    /// <summary>How far back a pattern's occurrences count; patterns with none in it are cleaned up. Allowed: 1 second to 1 day.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan PatternWindow { get; set; } = RecoveryConstants.DefaultPatternWindow;

    /// <summary>How many errors the history keeps (the oldest are dropped first). Allowed: 1 to 1000000.</summary>
    /// <value>The default is 1000.</value>
    public int MaxErrorHistory { get; set; } = RecoveryConstants.DefaultMaxErrorHistory;

    /// <summary>The least time between two operator alerts of one component; alerts in between are suppressed and counted. Allowed: 0 to 1 day.</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan AlertThrottle { get; set; } = RecoveryConstants.DefaultAlertThrottle;

    /// <summary>How often the background analysis (trends, clean-up, <see cref="ErrorRecoveryOrchestrator.StartAsync"/>) runs. Allowed: 1 second to 1 day.</summary>
    /// <value>The default is 1 minute.</value>
    public TimeSpan AnalysisInterval { get; set; } = RecoveryConstants.DefaultAnalysisInterval;

    /// <summary>Throws when a value is out of range, naming the property, the value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        const string Owner = nameof(RecoveryOptions);
        Guard.InRange(PatternEscalationThreshold, 1, RecoveryConstants.MaxThreshold, Owner);
        Guard.InRange(PatternWindow, RecoveryConstants.MinWindow, RecoveryConstants.MaxWindow, Owner);
        Guard.InRange(MaxErrorHistory, 1, RecoveryConstants.MaxHistory, Owner);
        Guard.InRange(AlertThrottle, TimeSpan.Zero, RecoveryConstants.MaxWindow, Owner);
        Guard.InRange(AnalysisInterval, RecoveryConstants.MinWindow, RecoveryConstants.MaxWindow, Owner);
    }

    /// <summary>Returns a copy of these options.</summary>
    /// <returns>A new options object with the same values.</returns>
    public RecoveryOptions Clone() => new()
    {
        PatternEscalationThreshold = PatternEscalationThreshold,
        PatternWindow = PatternWindow,
        MaxErrorHistory = MaxErrorHistory,
        AlertThrottle = AlertThrottle,
        AnalysisInterval = AnalysisInterval,
    };
}
