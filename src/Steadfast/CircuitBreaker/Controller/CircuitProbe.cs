namespace Steadfast;

/// <summary>
/// A half-open probe admitted locally that still needs the shared <see cref="ICircuitProbeGate"/>'s permit; the default
/// value means "nothing to confirm" (closed circuit, no gate, or not a probe).
/// </summary>
/// <param name="Generation">The probe round (its start in UTC ticks), the same on every process sharing the opening.</param>
/// <param name="RoundDuration">How long the round lasts at most.</param>
internal readonly record struct CircuitProbe(long Generation, TimeSpan RoundDuration)
{
    /// <summary>Whether there is nothing to confirm.</summary>
    public bool IsNone => Generation == 0;

    /// <summary>
    /// The number of the probe round that starts at <paramref name="now"/>. Rounds are laid on a grid of one cooldown from
    /// the end of the opening's cooldown, so every process that shares the opening (the same OpenUntil, through the store)
    /// derives the same number whenever its own first probe arrives, and each later round gets a new one.
    /// </summary>
    /// <param name="openUntil">The end of the opening's cooldown.</param>
    /// <param name="now">The round's start.</param>
    /// <param name="cooldown">The current cooldown: the length of a round.</param>
    /// <returns>The round's start on the grid, in UTC ticks (never 0).</returns>
    public static long GenerationOf(DateTimeOffset openUntil, DateTimeOffset now, TimeSpan cooldown)
    {
        var length = Math.Max(1, cooldown.Ticks);
        var rounds = Math.Max(0, (now - openUntil).Ticks / length);
        return Math.Max(1, openUntil.UtcTicks + (rounds * length));
    }
}
