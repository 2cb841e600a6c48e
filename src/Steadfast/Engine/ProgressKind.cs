namespace Steadfast;

/// <summary>What a <see cref="ResilienceEngine.Progress"/> event reports.</summary>
public enum ProgressKind
{
    /// <summary>An attempt started.</summary>
    AttemptStarted = 0,

    /// <summary>An attempt ended (see <see cref="ResilienceProgressEventArgs.Outcome"/>).</summary>
    AttemptFinished,

    /// <summary>A strategy failed for good or was skipped, and the execution moves on.</summary>
    StrategySwitched,

    /// <summary>A periodic snapshot, at least every <see cref="ResilienceOptions.CheckpointInterval"/>.</summary>
    Snapshot,
}
