using Polly;

namespace Steadfast;

/// <summary>
/// How the budget strategy and a retry strategy inside it talk: the budget strategy puts its <see cref="RetryBudget"/>
/// into the <see cref="ResilienceContext"/>; a retry's <c>ShouldHandle</c> asks it before each retry and, on a refusal,
/// answers "do not retry" and marks the context, so the budget strategy can turn the outcome into a
/// <see cref="RetryBudgetExceededException"/>.
/// </summary>
/// <remarks>
/// <c>ShouldHandle</c> is the one place where Polly's retry decides, per attempt, before it waits or calls
/// <c>OnRetry</c>; a strategy of its own cannot reach into the retry's loop. Polly also asks <c>ShouldHandle</c> after
/// the last attempt and after the caller cancelled, when no retry follows: the budget is not asked then.
/// </remarks>
internal static class RetryBudgetScope
{
    /// <summary>The budget of the execution (set by the budget strategy around its inner pipeline).</summary>
    public static readonly ResiliencePropertyKey<RetryBudget?> Budget = new("Steadfast.RetryBudget");

    /// <summary>Set to the budget that refused a retry in this execution.</summary>
    public static readonly ResiliencePropertyKey<RetryBudget?> RefusedBy = new("Steadfast.RetryBudget.RefusedBy");

    /// <summary>The budget the context carries, if any.</summary>
    public static RetryBudget? Current(ResilienceContext context) =>
        context.Properties.TryGetValue(Budget, out var budget) ? budget : null;

    /// <summary>
    /// Whether the retry that a <c>ShouldHandle</c> answer of "handle" would start may go ahead: always when no budget
    /// is in the context or no retry follows (<paramref name="attemptNumber"/> is the last, the caller cancelled);
    /// otherwise when the budget allows it. A refusal is marked in the context.
    /// </summary>
    /// <param name="context">The execution's context.</param>
    /// <param name="attemptNumber">The attempt that just ended, counting from 0 (Polly's <c>AttemptNumber</c>).</param>
    /// <param name="maxRetryAttempts">The retry strategy's <c>MaxRetryAttempts</c>.</param>
    public static bool AllowsRetry(ResilienceContext context, int attemptNumber, int maxRetryAttempts)
    {
        if (Current(context) is not { } budget
            || attemptNumber >= maxRetryAttempts
            || context.CancellationToken.IsCancellationRequested)
        {
            return true;
        }

        if (budget.TryAcquireRetry())
        {
            return true;
        }

        context.Properties.Set(RefusedBy, budget);
        return false;
    }
}
