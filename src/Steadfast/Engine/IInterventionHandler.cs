namespace Steadfast;

/// <summary>
/// Decides what to do when an execution has failed <see cref="ResilienceOptions.UserInterventionThreshold"/> times:
/// supply a strategy, let the execution continue, or stop it. Without a handler such an execution stops with
/// <see cref="StopReason.InterventionRequired"/>.
/// </summary>
public interface IInterventionHandler
{
    /// <summary>Asks for a decision. While it is pending no new attempt starts.</summary>
    /// <typeparam name="T">What the execution produces.</typeparam>
    /// <param name="situation">What was tried and how it failed.</param>
    /// <param name="cancellationToken">Cancelled with the execution.</param>
    /// <returns>The decision.</returns>
    ValueTask<InterventionDecision<T>> RequestInterventionAsync<T>(ResilienceSituation situation, CancellationToken cancellationToken);
}
