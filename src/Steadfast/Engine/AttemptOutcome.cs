namespace Steadfast;

/// <summary>How one entry of <see cref="ResilienceResult{T}.Attempts"/> ended.</summary>
public enum AttemptOutcome
{
    /// <summary>The attempt returned a value.</summary>
    Succeeded = 0,

    /// <summary>The attempt threw (or timed out); <see cref="AttemptRecord.Error"/> says what.</summary>
    Failed,

    /// <summary>The strategy was not called: open circuit or blacklist; <see cref="AttemptRecord.SkipReason"/> says why.</summary>
    Skipped,

    /// <summary>The attempt was cancelled by the engine: it lost a race, or the time budget or an intervention stopped the execution.</summary>
    Cancelled,
}
