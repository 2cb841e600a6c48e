using System.Text.Json;

namespace Steadfast;

/// <summary>Options of <see cref="DurableQueue{T}"/>, validated and copied when the queue is created.</summary>
public sealed class DurableQueueOptions
{
    /// <summary>The most pending plus in-flight items; an enqueue beyond it throws <see cref="QueueFullException"/>. Between 1 and <see cref="long.MaxValue"/>.</summary>
    /// <value>The default is 1,000.</value>
    public long MaxSize { get; set; } = DurableQueueConstants.DefaultMaxSize;

    /// <summary>How many deliveries an item gets; after that many failures it moves to the dead-letter list. Between 1 and 1,000.</summary>
    /// <value>The default is 5.</value>
    public int MaxDeliveryAttempts { get; set; } = DurableQueueConstants.DefaultMaxDeliveryAttempts;

    /// <summary>
    /// How long a worker holds an item. The lease is renewed every third of this while the handler runs; an item whose
    /// worker died is delivered again once its lease expires. Between 10 ms and 1 day.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan LeaseDuration { get; set; } = DurableQueueConstants.DefaultLeaseDuration;

    /// <summary>
    /// How often an idle worker looks for work that did not come through this queue object (other processes' enqueues,
    /// expired leases). Enqueues through this object wake workers at once. Between 10 ms and 1 hour.
    /// </summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan PollInterval { get; set; } = DurableQueueConstants.DefaultPollInterval;

    /// <summary>How items are serialized to JSON. In a trimmed or native AOT app, give options whose resolver is a
    /// source-generated <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> that lists the type (docs/durable.md).</summary>
    /// <value>The default is <see langword="null"/>: <see cref="JsonSerializerOptions.Default"/>.</value>
    public JsonSerializerOptions? SerializerOptions { get; set; }

    /// <summary>Throws when an option is out of range, naming the option, its value and the allowed range.</summary>
    /// <remarks>The queue calls it on its own copy; call it yourself to check options early (for example on start-up).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        Guard.AtLeast(MaxSize, 1, nameof(DurableQueueOptions));
        Guard.InRange(MaxDeliveryAttempts, 1, DurableQueueConstants.MaxMaxDeliveryAttempts, nameof(DurableQueueOptions));
        Guard.InRange(LeaseDuration, DurableQueueConstants.MinDuration, DurableQueueConstants.MaxLeaseDuration, nameof(DurableQueueOptions));
        Guard.InRange(PollInterval, DurableQueueConstants.MinDuration, DurableQueueConstants.MaxPollInterval, nameof(DurableQueueOptions));
    }

    /// <summary>Copies these options. The copy shares <see cref="SerializerOptions"/>, which System.Text.Json makes read-only once used.</summary>
    /// <returns>A new <see cref="DurableQueueOptions"/> with the same values.</returns>
    public DurableQueueOptions Clone() => (DurableQueueOptions)MemberwiseClone();
}
