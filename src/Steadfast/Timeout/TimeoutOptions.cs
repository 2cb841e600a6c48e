namespace Steadfast;

/// <summary>How long an operation may run under a <see cref="TimeoutPolicy"/>, and what happens when it runs longer.</summary>
/// <remarks>
/// The timeout is cooperative (Polly's): the operation receives a token that is cancelled when time is up and
/// must observe it. An operation that ignores its token keeps running in the background.
/// </remarks>
public sealed class TimeoutOptions
{
    /// <summary>How long one execution may run.</summary>
    /// <value>The default is 30 seconds. Allowed: 10 ms to 1 day.</value>
    public TimeSpan Timeout { get; set; } = TimeoutConstants.DefaultTimeout;

    /// <summary>What happens on timeout.</summary>
    /// <value>The default is <see cref="TimeoutBehavior.Throw"/>.</value>
    public TimeoutBehavior OnTimeout { get; set; } = TimeoutConstants.DefaultBehavior;

    /// <summary>
    /// The value returned on timeout with <see cref="TimeoutBehavior.ReturnDefault"/>, when it is of the call's result
    /// type; otherwise the result type's <see langword="default"/> is returned.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public object? DefaultValue { get; set; }

    /// <summary>Throws when an option is out of range, naming the option, its value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        const string owner = nameof(TimeoutOptions);
        Guard.InRange(Timeout, TimeoutConstants.MinTimeout, TimeoutConstants.MaxTimeout, owner);
        Guard.That(Enum.IsDefined(OnTimeout), OnTimeout, "must be Throw or ReturnDefault", owner);
    }
}
