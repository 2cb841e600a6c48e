namespace Steadfast;

/// <summary>
/// Thrown when a retry budget refused a retry: the last attempt failed and would have been retried, but the calls of
/// the recent window have used up their share of retries. The retry was not sent; the failure it would have retried is
/// the <see cref="Exception.InnerException"/> (when the attempt threw).
/// </summary>
/// <remarks>
/// It lives with the shared errors so that <see cref="ErrorClassifier"/> can see through it without depending on the
/// retry feature: it is classified as the failure it carries (a 503 stays a server error), or as
/// <see cref="ErrorCategory.RateLimited"/> when it carries none, since a budget is a client-side limit on retries.
/// </remarks>
public class RetryBudgetExceededException : ExecutionRejectedException
{
    /// <summary>Creates the exception with a default message.</summary>
    public RetryBudgetExceededException()
        : this("The retry budget refused the retry.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public RetryBudgetExceededException(string message)
        : base(message)
    {
        BudgetName = string.Empty;
    }

    /// <summary>Creates the exception with a message and the failure that was not retried.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The failure that was not retried.</param>
    public RetryBudgetExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
        BudgetName = string.Empty;
    }

    /// <summary>Creates the exception for a named budget.</summary>
    /// <param name="budgetName">The budget's name.</param>
    /// <param name="lastFailure">The failure that was not retried, when the attempt threw.</param>
    /// <param name="lastResult">A description of the result that was not retried, when the attempt returned one the retry handles.</param>
    public RetryBudgetExceededException(string budgetName, Exception? lastFailure, string? lastResult)
        : base(
            $"Retry budget '{budgetName}' refused the retry: the recent calls have used up their share of retries. "
            + (lastFailure is not null
                ? $"The last attempt failed with {lastFailure.GetType().Name} (the inner exception)."
                : $"The last attempt returned {lastResult ?? "a result the retry handles"}."),
            lastFailure)
    {
        BudgetName = budgetName;
    }

    /// <summary>The name of the budget that refused the retry.</summary>
    public string BudgetName { get; }
}
