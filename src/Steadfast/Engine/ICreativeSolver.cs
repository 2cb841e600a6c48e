namespace Steadfast;

/// <summary>
/// Devises a new strategy when every given one is exhausted (for example an AI model writing a workaround).
/// Asked by the engine when <see cref="ResilienceOptions.EnableCreativeSolving"/> is on, at most
/// <see cref="ResilienceConstants.MaxCreativeRounds"/> times per execution; its strategies run within the same budgets.
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
}

/// <summary>The kinds of <see cref="InterventionDecision{T}"/>.</summary>
public enum InterventionAction
{
    /// <summary>Stop the execution.</summary>
    Stop = 0,

    /// <summary>Carry on.</summary>
    Continue,

    /// <summary>Try the supplied strategy next.</summary>
    UseStrategy,
}

/// <summary>The state of an execution, as given to an <see cref="ICreativeSolver"/>, an <see cref="IInterventionHandler"/> and <see cref="ResilienceEngine.Escalated"/> subscribers.</summary>
public sealed class ResilienceSituation
{
    internal ResilienceSituation(string operationName, IReadOnlyDictionary<string, object?>? context, IReadOnlyList<AttemptRecord> attempts, int failedAttempts, Exception? lastError, FailureAnalysis analysis)
    {
        OperationName = operationName;
        Context = context;
        Attempts = attempts;
        FailedAttempts = failedAttempts;
        LastError = lastError;
        Analysis = analysis;
    }

    /// <summary>The operation being executed.</summary>
    public string OperationName { get; }

    /// <summary>The context given to the execution, if any (not redacted: it never leaves the process through the engine).</summary>
    public IReadOnlyDictionary<string, object?>? Context { get; }

    /// <summary>The attempts so far, in the order they ended.</summary>
    public IReadOnlyList<AttemptRecord> Attempts { get; }

    /// <summary>How many attempts failed so far.</summary>
    public int FailedAttempts { get; }

    /// <summary>The last failure, if any.</summary>
    public Exception? LastError { get; }

    /// <summary>What the learning layer concluded about the operation's recent failures; <see cref="FailureAnalysis.Empty"/> when learning is off.</summary>
    public FailureAnalysis Analysis { get; }
}
