namespace Steadfast;

/// <summary>
/// Configures an <see cref="InProcessEventBus"/>. The bus copies the values when it is built and validates them there.
/// </summary>
public sealed class InProcessEventBusOptions
{
    /// <summary>
    /// Events each subscription may hold queued before fire-and-forget events to it are dropped (and counted). An
    /// acknowledged publish waits for room instead. Allowed: 1 to 1000000.
    /// </summary>
    /// <value>The default is 1024.</value>
    public int Capacity { get; set; } = EventBusConstants.DefaultCapacity;

    /// <summary>Throws when a value is out of range, naming the property, the value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate() => Guard.InRange(Capacity, 1, EventBusConstants.MaxCapacity, nameof(InProcessEventBusOptions));

    /// <summary>Returns a copy of these options.</summary>
    /// <returns>A new options object with the same values.</returns>
    public InProcessEventBusOptions Clone() => new() { Capacity = Capacity };
}
