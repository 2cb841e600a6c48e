namespace Steadfast;

/// <summary>What a statistics increment asks of the background writer.</summary>
internal enum StatisticsNudge
{
    /// <summary>Nothing: a timer or a write is already arranged.</summary>
    None,

    /// <summary>Arm the flush timer: the first increment since the last write.</summary>
    ArmTimer,

    /// <summary>Write at once: <see cref="FailureAnalyzerOptions.StatisticsFlushThreshold"/> increments are pending.</summary>
    WriteNow,
}
