namespace Steadfast;

/// <summary>
/// What only a parallel execution needs: its racers, the token that cancels them all, the intervention they share, and
/// the lock that guards these and the execution's <see cref="AttemptLedger{T}"/> while racers write to it concurrently.
/// </summary>
internal sealed class Race(CancellationTokenSource cancellation)
{
    /// <summary>Guards the racers' state, <see cref="PendingIntervention"/> and the ledger of the execution.</summary>
    public readonly Lock Lock = new();

    /// <summary>Cancelled when the race is decided, stopped or past its deadline.</summary>
    public readonly CancellationTokenSource Cancellation = cancellation;

    /// <summary>Every racer started, in order; read and written under <see cref="Lock"/>.</summary>
    public readonly List<Racer> Racers = [];

    /// <summary>The intervention request one racer made and the others wait for; under <see cref="Lock"/>.</summary>
    public Task? PendingIntervention;
}

/// <summary>
/// One strategy with its own <see cref="StrategyRun"/>: a racer of a <see cref="Race"/>, or an entry of an
/// <see cref="ExecutionSchedule{T}"/> (which every execution uses once its first attempt failed).
/// </summary>
internal class Racer(string name)
{
    public readonly string Name = name;

    public StrategyRun Run;
}
