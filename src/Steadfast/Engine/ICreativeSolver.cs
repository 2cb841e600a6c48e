namespace Steadfast;

/// <summary>
/// Devises a new strategy when every given one is exhausted (for example an AI model writing a workaround).
/// Asked by the engine when <see cref="ResilienceOptions.EnableCreativeSolving"/> is on, at most 3 times per execution
/// (a bound on a solver whose strategies keep being skipped); its strategies run within the same budgets.
/// </summary>
public interface ICreativeSolver
{
    /// <summary>Proposes a new strategy.</summary>
    /// <typeparam name="T">What the strategy must produce.</typeparam>
    /// <param name="situation">What was tried and how it failed.</param>
    /// <param name="cancellationToken">Cancelled with the execution.</param>
    /// <returns>A new strategy, or <see langword="null"/> when the solver has no idea left.</returns>
    ValueTask<Strategy<T>?> ProposeStrategyAsync<T>(ResilienceSituation situation, CancellationToken cancellationToken);
}
