namespace Steadfast.Chaos.World;

/// <summary>
/// The outage script of one run, driven by the time since the run started: the primary is down (its requests are
/// black-holed) from 20 % to 70 % of the run, every other provider keeps its character throughout.
/// </summary>
internal sealed class WorldScript
{
    /// <summary>Where in the run the primary goes down, as a share of the run.</summary>
    public const double OutageStartShare = 0.2;

    /// <summary>Where in the run the primary recovers, as a share of the run.</summary>
    public const double OutageEndShare = 0.7;

    private readonly TimeProvider _time;
    private readonly long _started;

    public WorldScript(TimeProvider time, TimeSpan duration)
    {
        _time = time;
        _started = time.GetTimestamp();
        Duration = duration;
    }

    /// <summary>How long the scripted run lasts (the load's duration).</summary>
    public TimeSpan Duration { get; }

    /// <summary>When the primary goes down, from the run's start.</summary>
    public TimeSpan OutageStart => Duration * OutageStartShare;

    /// <summary>When the primary recovers, from the run's start.</summary>
    public TimeSpan OutageEnd => Duration * OutageEndShare;

    /// <summary>The time since the run started.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    /// <summary>Whether the primary is down at <paramref name="at"/> (from the run's start).</summary>
    public bool IsPrimaryDown(TimeSpan at) => at >= OutageStart && at < OutageEnd;
}
