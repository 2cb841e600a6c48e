namespace Steadfast;

/// <summary>
/// One strategy of an execution's <see cref="ExecutionSchedule{T}"/>: what it runs, its circuit, its rank, and when it may
/// next be attempted. Touched only by the runner that owns the schedule (its attempts write their <see cref="StrategyRun"/>
/// under the ledger's rules).
/// </summary>
internal sealed class StrategyEntry<T>(StrategySlot<T> slot, IEngineCircuit circuit, int rank) : Racer(slot.Name)
{
    public readonly StrategySlot<T> Slot = slot;

    public readonly IEngineCircuit Circuit = circuit;

    /// <summary>Lower is better: the plan's order; strategies an intervention supplies come first.</summary>
    public readonly int Rank = rank;

    /// <summary>A <see cref="TimeProvider"/> timestamp: the entry may be attempted at or after it (0: now).</summary>
    public long ReadyAt;

    /// <summary>No further attempt of this strategy in this execution.</summary>
    public bool Done;

    /// <summary>An attempt of it is running (races and hedging run several strategies at once, each at most once).</summary>
    public bool InFlight;

    /// <summary>Automatically blacklisted: only its recovery probe may call it (see <see cref="FailureAnalyzer.TryBeginProbe"/>).</summary>
    public bool AwaitsProbe;

    /// <summary>The attempt in flight is the blacklist's recovery probe.</summary>
    public bool Probing;
}
