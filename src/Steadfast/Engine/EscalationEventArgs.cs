namespace Steadfast;

/// <summary>Raised once per execution when <see cref="ResilienceOptions.EscalateAfterFailures"/> attempts have failed.</summary>
public sealed class EscalationEventArgs : EventArgs
{
    internal EscalationEventArgs(ResilienceSituation situation) => Situation = situation;

    /// <summary>The operation.</summary>
    public string OperationName => Situation.OperationName;

    /// <summary>How many attempts had failed.</summary>
    public int FailedAttempts => Situation.FailedAttempts;

    /// <summary>The last failure.</summary>
    public Exception? LastError => Situation.LastError;

    /// <summary>The whole situation: attempts so far and the analysis.</summary>
    public ResilienceSituation Situation { get; }
}
