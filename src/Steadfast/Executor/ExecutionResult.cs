namespace Steadfast;

/// <summary>The outcome of <see cref="ResilientExecutor.ExecuteAsync{T}(Func{CancellationToken, ValueTask{T}}, Func{CancellationToken, ValueTask{T}}?, CancellationToken)"/>: a value or an error, never a thrown operation failure.</summary>
/// <typeparam name="T">The result type.</typeparam>
/// <remarks>A struct, so the executor's happy path allocates nothing for its result.</remarks>
public readonly record struct ExecutionResult<T>
{
    /// <summary>Whether a value was produced, by the operation or by the fallback.</summary>
    public bool Success { get; init; }

    /// <summary>The value when <see cref="Success"/>; otherwise <see langword="default"/>.</summary>
    public T? Value { get; init; }

    /// <summary>Why the call failed (the last attempt's failure, or the fallback's); <see langword="null"/> on success.</summary>
    public Exception? Error { get; init; }

    /// <summary>How many attempts were made, rejected ones (open circuit, rate limit) included; 0 only if none could start.</summary>
    public int Attempts { get; init; }

    /// <summary>How long the whole call took, waits between attempts and the fallback included.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Whether the fallback ran (its result is <see cref="Value"/> when it succeeded).</summary>
    public bool UsedFallback { get; init; }

    /// <summary>Returns <see cref="Value"/>, or rethrows <see cref="Error"/> when the call failed.</summary>
    /// <returns>The value.</returns>
    public T GetValueOrThrow()
    {
        if (Error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Error);
        }

        return Value!;
    }
}
