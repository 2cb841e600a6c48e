namespace Steadfast;

/// <summary>
/// Options of the operator endpoints, the event stream and the dashboard that
/// <c>app.MapSteadfast("/steadfast")</c> maps. Configure them with <c>services.Configure&lt;SteadfastWebOptions&gt;(...)</c>
/// or the <c>configure</c> argument of <c>MapSteadfast</c>; they are copied and validated when the endpoints are mapped.
/// </summary>
public sealed class SteadfastWebOptions
{
    /// <summary>The smallest <see cref="EventInterval"/>.</summary>
    public static readonly TimeSpan MinEventInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest <see cref="EventInterval"/>.</summary>
    public static readonly TimeSpan MaxEventInterval = TimeSpan.FromMinutes(1);

    /// <summary>The largest <see cref="MaxAttemptEventsPerInterval"/>.</summary>
    public const int MaxMaxAttemptEventsPerInterval = 1000;

    /// <summary>
    /// Whether the mutating endpoints (circuit state, blacklist add and lift) do anything. Off, they answer 403 and the
    /// dashboard shows no buttons; on, they honour the authorization of the endpoints (e.g.
    /// <c>.RequireAuthorization("ops")</c>) and require an anti-forgery token.
    /// </summary>
    /// <value>The default is <see langword="false"/>: a dashboard that can only look is the safe default.</value>
    public bool AllowMutations { get; set; }

    /// <summary>
    /// The durable queues <c>GET queues</c> and the dashboard report, by name (the names given to
    /// <c>AddDurableQueue&lt;T&gt;(name)</c>; their <see cref="IQueueStore"/> is resolved as a keyed service by that name).
    /// </summary>
    /// <value>The default is empty: no queue is reported.</value>
    public IList<string> QueueNames { get; set; } = [];

    /// <summary>How often the event stream sends the <c>metrics</c> event (calls and failures per circuit since the last one, for the sparklines) and looks for new circuits and blacklist changes.</summary>
    /// <value>The default is 1 second; from <see cref="MinEventInterval"/> to <see cref="MaxEventInterval"/>.</value>
    public TimeSpan EventInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many <c>attempt</c> events (an engine attempt finished) the stream sends per <see cref="EventInterval"/> at
    /// most; the rest are counted in the next <c>metrics</c> event but not sent one by one. 0 sends none.
    /// </summary>
    /// <value>The default is 20; from 0 to <see cref="MaxMaxAttemptEventsPerInterval"/>.</value>
    public int MaxAttemptEventsPerInterval { get; set; } = 20;

    /// <summary>Throws when an option is out of range; the message names the option, the allowed range and the value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">A queue name is empty.</exception>
    public void Validate()
    {
        if (EventInterval < MinEventInterval || EventInterval > MaxEventInterval)
        {
            throw new ArgumentOutOfRangeException(
                $"{nameof(SteadfastWebOptions)}.{nameof(EventInterval)}",
                $"{nameof(SteadfastWebOptions)}.{nameof(EventInterval)} must be between {MinEventInterval:c} and {MaxEventInterval:c}; was {EventInterval:c}.");
        }

        if (MaxAttemptEventsPerInterval is < 0 or > MaxMaxAttemptEventsPerInterval)
        {
            throw new ArgumentOutOfRangeException(
                $"{nameof(SteadfastWebOptions)}.{nameof(MaxAttemptEventsPerInterval)}",
                $"{nameof(SteadfastWebOptions)}.{nameof(MaxAttemptEventsPerInterval)} must be between 0 and {MaxMaxAttemptEventsPerInterval}; was {MaxAttemptEventsPerInterval}.");
        }

        if (QueueNames is null || QueueNames.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException(
                $"{nameof(SteadfastWebOptions)}.{nameof(QueueNames)} must not be null nor hold an empty name.",
                $"{nameof(SteadfastWebOptions)}.{nameof(QueueNames)}");
        }
    }

    /// <summary>Returns a copy (the queue names copied too).</summary>
    /// <returns>The copy.</returns>
    public SteadfastWebOptions Clone()
    {
        var copy = (SteadfastWebOptions)MemberwiseClone();
        copy.QueueNames = QueueNames is null ? null! : [.. QueueNames];
        return copy;
    }
}
