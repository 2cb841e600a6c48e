namespace Steadfast;

/// <summary>How long an operation may run under a <see cref="TimeoutPolicy"/>, and what happens when it runs longer.</summary>
/// <remarks>
/// The timeout is cooperative (Polly's): the operation receives a token that is cancelled when time is up and
/// must observe it. An operation that ignores its token keeps running in the background.
/// A policy validates and copies the options when it is built; later changes do not affect it.
/// </remarks>
public sealed class TimeoutOptions
{
    /// <summary>How long one execution may run.</summary>
    /// <value>The default is 30 seconds. Allowed: 10 ms to 1 day.</value>
    public TimeSpan Timeout { get; set; } = TimeoutConstants.DefaultTimeout;

    /// <summary>What happens on timeout: throw <see cref="OperationTimeoutException"/> or return <see cref="DefaultValue"/>.</summary>
    /// <value>The default is <see cref="TimeoutBehavior.Throw"/>.</value>
    public TimeoutBehavior Behavior { get; set; } = TimeoutConstants.DefaultBehavior;

    /// <summary>
    /// The value returned on timeout with <see cref="TimeoutBehavior.ReturnDefault"/>, when it is of the call's result
    /// type; otherwise the result type's <see langword="default"/> is returned.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public object? DefaultValue { get; set; }

    /// <summary>
    /// Called when an execution ran past <see cref="Timeout"/> and its token was cancelled, before the policy throws or
    /// returns <see cref="DefaultValue"/>; an exception it throws is logged and ignored.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Action<OnTimeoutArguments>? OnTimeout { get; set; }

    /// <summary>Throws when an option is out of range, naming the option, its value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="Behavior"/> is not a defined value.</exception>
    public void Validate()
    {
        const string owner = nameof(TimeoutOptions);
        Guard.InRange(Timeout, TimeoutConstants.MinTimeout, TimeoutConstants.MaxTimeout, owner);
        Guard.That(Enum.IsDefined(Behavior), Behavior, "must be Throw or ReturnDefault", owner);
    }

    /// <summary>Returns a copy, so changing one object never changes the other.</summary>
    /// <returns>The copy.</returns>
    public TimeoutOptions Clone() => new()
    {
        Timeout = Timeout,
        Behavior = Behavior,
        DefaultValue = DefaultValue,
        OnTimeout = OnTimeout,
    };
}
