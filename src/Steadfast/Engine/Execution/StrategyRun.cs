namespace Steadfast;

/// <summary>
/// The state of one strategy within one execution: how many attempts it made and when the last one ended. A sequential
/// execution keeps the state of the strategy it is running in its <see cref="AttemptLedger{T}"/>; each <see cref="Racer"/> keeps its own.
/// </summary>
/// <remarks>
/// A struct, so a first-try success allocates nothing for it. This is where a schedule across strategies keeps what it
/// needs per strategy (for example when the strategy is next ready). Written under the ledger's lock when racers share it.
/// </remarks>
internal struct StrategyRun
{
    /// <summary>Attempts admitted so far; the number of the attempt in progress.</summary>
    public int Attempts;

    /// <summary>When the last attempt ended (a <see cref="TimeProvider"/> timestamp); 0 before the first ended.</summary>
    public long LastEnd;

    /// <summary>Racers only: when the attempt in flight was admitted (a timestamp); 0 when none is in flight. The race's finaliser reads it.</summary>
    public long InFlightSince;
}
