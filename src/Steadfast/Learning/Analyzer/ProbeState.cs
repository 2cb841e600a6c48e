namespace Steadfast;

/// <summary>The recovery-probe schedule of one automatic blacklist entry. Guarded by the <see cref="LearningState"/> lock.</summary>
internal sealed class ProbeState(TimeSpan interval, DateTimeOffset nextAt)
{
    /// <summary>The current interval: <see cref="FailureAnalyzerOptions.BlacklistProbeInterval"/>, doubled by each failed probe.</summary>
    public TimeSpan Interval = interval;

    /// <summary>When the next probe may be claimed (uncapped; readers cap it by the entry's expiry). While a probe runs: the end of its lease.</summary>
    public DateTimeOffset NextAt = nextAt;

    /// <summary>Whether a probe was claimed and has reported nothing yet.</summary>
    public bool InProgress;
}
