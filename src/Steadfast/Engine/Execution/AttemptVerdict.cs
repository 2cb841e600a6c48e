namespace Steadfast;

/// <summary>How one attempt of one strategy ended, as the run that made it needs to know.</summary>
internal enum AttemptVerdict
{
    /// <summary>The attempt returned a value.</summary>
    Succeeded,

    /// <summary>The attempt failed and the strategy may try again (transient failure, budgets and deadline allow).</summary>
    FailedMayRetry,

    /// <summary>The attempt failed and the strategy is done (a failure retrying cannot fix, or no budget or time left for it).</summary>
    FailedForGood,

    /// <summary>The attempt was not started; <see cref="AttemptResult{T}.Gate"/> says why (an open circuit says until when).</summary>
    NotAdmitted,

    /// <summary>The caller, the deadline or a decided race cut the attempt; nothing is learned from it.</summary>
    Cancelled,
}

/// <summary>The verdict of one attempt, with its value or its failure; for one not admitted, why and until when.</summary>
internal readonly record struct AttemptResult<T>(AttemptVerdict Verdict, T? Value, Exception? Error, Gate Gate = Gate.Proceed, TimeSpan? RetryAfter = null)
{
    public static AttemptResult<T> Cancelled => new(AttemptVerdict.Cancelled, default, null);

    public static AttemptResult<T> NotAdmitted(Gate gate, TimeSpan? retryAfter) => new(AttemptVerdict.NotAdmitted, default, null, gate, retryAfter);
}
