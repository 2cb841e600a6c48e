namespace Steadfast;

/// <summary>How an execution runs its strategies (see docs/engine.md).</summary>
public enum ExecutionMode
{
    /// <summary>One attempt at a time: always the best-ranked strategy that is ready now; waits only when none is.</summary>
    Sequential = 0,

    /// <summary>
    /// Up to <see cref="ResilienceOptions.MaxParallelStrategies"/> strategies at once from the start; the first success
    /// wins and the others are cancelled. Fastest answer, most load.
    /// </summary>
    Race,

    /// <summary>
    /// Starts the best-ranked strategy, and the next one only when no answer came within
    /// <see cref="ResilienceOptions.HedgeDelay"/> (or at once when the running one failed); the first success wins.
    /// Close to the race's tail latency at little more than one request per call.
    /// </summary>
    Hedged,
}
