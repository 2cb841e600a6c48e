namespace Steadfast;

/// <summary>Defaults and limits of checkpoints.</summary>
internal static class CheckpointConstants
{
    public const int DefaultMaxCheckpoints = 10;
    public const int MaxMaxCheckpoints = 10_000;
    public static readonly TimeSpan DefaultAutoCheckpointInterval = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MinAutoCheckpointInterval = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MaxAutoCheckpointInterval = TimeSpan.FromDays(1);
    public const long DefaultWarnSizeBytes = 1L << 20;      // 1 MB: the seed's warning level
    public const long DefaultMaxSizeBytes = 16L << 20;      // 16 MB
    public const long MaxMaxSizeBytes = 1L << 30;           // 1 GB: one blob/file beyond that is a design problem

    /// <summary>The envelope version written today; readers skip checkpoints with a version they do not know.</summary>
    public const int FormatVersion = 1;
}
