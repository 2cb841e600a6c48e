namespace Steadfast;

/// <summary>
/// How <see cref="RetryPolicy"/> retries: how often, how long it waits (exponential backoff with jitter,
/// stretched to honour a retry-after hint) and which failures are worth another attempt.
/// </summary>
/// <remarks>
/// Which failures are retried, in order: the caller's cancellation never; a type in <see cref="DontRetryOn"/>
/// never; when <see cref="RetryOn"/> is not empty, only its types; then <see cref="ShouldHandle"/> decides
/// when set; otherwise a failure is retried when <see cref="ErrorClassifier.IsTransient(Exception)"/> says
/// so (or, with <see cref="RetryOn"/> set, because it matched).
/// <para>A policy validates and copies the options when it is built; later changes do not affect it.</para>
/// </remarks>
public sealed class RetryOptions
{
    /// <summary>Attempts in all, the first call included; 1 disables retrying.</summary>
    /// <value>The default is 3. Allowed: 1 to 100.</value>
    public int MaxAttempts { get; set; } = RetryConstants.DefaultMaxAttempts;

    /// <summary>The wait before the first retry; later waits grow by <see cref="BackoffFactor"/>.</summary>
    /// <value>The default is 1 second. Allowed: 0 to 1 day.</value>
    public TimeSpan InitialDelay { get; set; } = RetryConstants.DefaultInitialDelay;

    /// <summary>The longest single wait, whatever the backoff, jitter or a retry-after hint ask for.</summary>
    /// <value>The default is 60 seconds. Allowed: <see cref="InitialDelay"/> to 1 day.</value>
    public TimeSpan MaxDelay { get; set; } = RetryConstants.DefaultMaxDelay;

    /// <summary>How much each wait grows: wait n = <see cref="InitialDelay"/> × factor^(n-1).</summary>
    /// <value>The default is 2.0. Allowed: 1.0 (constant) to 10.0.</value>
    public double BackoffFactor { get; set; } = RetryConstants.DefaultBackoffFactor;

    /// <summary>Whether waits are spread randomly (±25 %) so callers that failed together do not retry together.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Jitter { get; set; } = RetryConstants.DefaultJitter;

    /// <summary>When not empty, only exceptions of these types (or derived ones) are retried.</summary>
    /// <value>The default is empty: failures are judged by <see cref="ErrorClassifier"/>.</value>
    public IList<Type> RetryOn { get; init; } = [];

    /// <summary>Exceptions of these types (or derived ones) are never retried; this wins over everything else.</summary>
    /// <value>The default is empty.</value>
    public IList<Type> DontRetryOn { get; init; } = [];

    /// <summary>
    /// Decides whether a failure is retried, replacing the <see cref="ErrorClassifier"/> judgement (after
    /// <see cref="DontRetryOn"/> and <see cref="RetryOn"/> have had their say).
    /// </summary>
    /// <value>The default is <see langword="null"/>: retry transient failures.</value>
    public Func<Exception, bool>? ShouldHandle { get; set; }

    /// <summary>
    /// Limits this policy's retries to a share of its calls (<see cref="RetryBudget"/>), so an outage cannot multiply the
    /// load on the service: each call counts, and each retry must be allowed by the budget. A refused retry is not made;
    /// the call fails with <see cref="RetryBudgetExceededException"/> carrying the failure that was not retried.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: only <see cref="MaxAttempts"/> limits retries. Each policy, executor or
    /// pipeline built from these options gets a budget of its own; to share one budget among several pipelines, use
    /// <see cref="RetryBudgetBuilderExtensions.AddSteadfastRetryBudget{TBuilder}"/> instead.
    /// </value>
    public RetryBudgetOptions? Budget { get; set; }

    /// <summary>Called before each wait; an exception it throws is logged and ignored.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Action<OnRetryArguments>? OnRetry { get; set; }

    /// <summary>
    /// Returns a copy whose <see cref="RetryOn"/> and <see cref="DontRetryOn"/> are new lists, so changing one object never
    /// changes the other (<see cref="Budget"/> is copied too).
    /// </summary>
    /// <returns>The copy.</returns>
    public RetryOptions Clone() => new()
    {
        MaxAttempts = MaxAttempts,
        InitialDelay = InitialDelay,
        MaxDelay = MaxDelay,
        BackoffFactor = BackoffFactor,
        Jitter = Jitter,
        RetryOn = RetryOn is null ? null! : [.. RetryOn],
        DontRetryOn = DontRetryOn is null ? null! : [.. DontRetryOn],
        ShouldHandle = ShouldHandle,
        OnRetry = OnRetry,
        Budget = Budget?.Clone(),
    };

    /// <summary>Throws when an option is out of range, naming the option, its value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">A cross-option rule is broken or a type is not an exception type.</exception>
    public void Validate()
    {
        const string owner = nameof(RetryOptions);
        Guard.InRange(MaxAttempts, 1, RetryConstants.MaxMaxAttempts, owner);
        Guard.InRange(InitialDelay, TimeSpan.Zero, RetryConstants.MaxAllowedDelay, owner);
        Guard.InRange(MaxDelay, TimeSpan.Zero, RetryConstants.MaxAllowedDelay, owner);
        Guard.That(MaxDelay >= InitialDelay, MaxDelay, $"must be at least InitialDelay ({Guard.Format(InitialDelay)})", owner);
        Guard.That(!double.IsNaN(BackoffFactor), BackoffFactor, "must be a number", owner);
        Guard.InRange(BackoffFactor, RetryConstants.MinBackoffFactor, RetryConstants.MaxBackoffFactor, owner);
        CheckExceptionTypes(RetryOn, nameof(RetryOn));
        CheckExceptionTypes(DontRetryOn, nameof(DontRetryOn));
        Budget?.Validate();
    }

    private static void CheckExceptionTypes(IList<Type> types, string property)
    {
        ArgumentNullException.ThrowIfNull(types, $"{nameof(RetryOptions)}.{property}");
        foreach (var type in types)
        {
            if (type is null || !typeof(Exception).IsAssignableFrom(type))
            {
                throw new ArgumentException(
                    $"{nameof(RetryOptions)}.{property} must contain only exception types; was {type?.FullName ?? "null"}.",
                    $"{nameof(RetryOptions)}.{property}");
            }
        }
    }
}
