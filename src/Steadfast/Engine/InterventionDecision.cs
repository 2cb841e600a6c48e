namespace Steadfast;

/// <summary>What an <see cref="IInterventionHandler"/> decided.</summary>
/// <typeparam name="T">What the execution produces.</typeparam>
public sealed class InterventionDecision<T>
{
    private InterventionDecision(InterventionAction action, Strategy<T>? strategy, string? reason)
    {
        Action = action;
        Strategy = strategy;
        Reason = reason;
    }

    /// <summary>What to do.</summary>
    public InterventionAction Action { get; }

    /// <summary>The strategy to try next, for <see cref="InterventionAction.UseStrategy"/>.</summary>
    public Strategy<T>? Strategy { get; }

    /// <summary>Why, for the result's recommendations and the log.</summary>
    public string? Reason { get; }

    // The factories live on the generic type on purpose: a handler returns InterventionDecision<T>, and Stop() and
    // Continue() take nothing T could be inferred from, so a non-generic factory would need <T> spelled out anyway.
#pragma warning disable CA1000
    /// <summary>Stop the execution (<see cref="StopReason.StoppedByIntervention"/>).</summary>
    /// <param name="reason">Why.</param>
    /// <returns>The decision.</returns>
    public static InterventionDecision<T> Stop(string? reason = null) => new(InterventionAction.Stop, null, reason);

    /// <summary>Carry on with the remaining strategies; the handler is asked again after another <see cref="ResilienceOptions.UserInterventionThreshold"/> failures.</summary>
    /// <returns>The decision.</returns>
    public static InterventionDecision<T> Continue() => new(InterventionAction.Continue, null, null);

    /// <summary>Try this strategy next: the strategy whose attempt triggered the request yields its place to it.</summary>
    /// <param name="strategy">The strategy.</param>
    /// <returns>The decision.</returns>
    public static InterventionDecision<T> Use(Strategy<T> strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new(InterventionAction.UseStrategy, strategy, null);
    }
#pragma warning restore CA1000
}
