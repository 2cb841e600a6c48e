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

    private const int Idle = 0;
    private const int InFlight = 1;

    // Idle, or InFlight from admission until whoever ends the attempt first books it: the attempt itself when it returns,
    // or the race's coordinator when it cuts the attempt (a loser). Exactly one of them writes the attempt's outcome to the
    // circuit and learning.
    private int _attempt;

    /// <summary>An attempt was admitted (its circuit permit taken): from now on it is booked exactly once.</summary>
    public void BeginAttempt() => Volatile.Write(ref _attempt, InFlight);

    /// <summary>
    /// Takes the right to book the attempt in flight; <see langword="false"/> when there is none or the other side took it.
    /// </summary>
    public bool TryEndAttempt() => Interlocked.CompareExchange(ref _attempt, Idle, InFlight) == InFlight;
}
