namespace Steadfast;

/// <summary>Thresholds of Steadfast's own health checks (<c>services.AddHealthChecks().AddSteadfast()</c>).</summary>
public sealed class SteadfastHealthCheckOptions
{
    /// <summary>Pending plus in-flight items from which a queue is Degraded. Allowed: 1 to <see cref="long.MaxValue"/>.</summary>
    /// <value>The default is 10000.</value>
    public long QueueBacklogThreshold { get; set; } = 10_000;

    /// <summary>Dead letters from which a queue is Degraded. Allowed: 1 to <see cref="long.MaxValue"/>.</summary>
    /// <value>The default is 1.</value>
    public long DeadLetterThreshold { get; set; } = 1;

    /// <summary>Throws when a value is out of range, naming the property, the value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        const string Owner = nameof(SteadfastHealthCheckOptions);
        Guard.AtLeast(QueueBacklogThreshold, 1L, Owner);
        Guard.AtLeast(DeadLetterThreshold, 1L, Owner);
    }

    /// <summary>Returns a copy of these options.</summary>
    /// <returns>A new options object with the same values.</returns>
    public SteadfastHealthCheckOptions Clone() => new() { QueueBacklogThreshold = QueueBacklogThreshold, DeadLetterThreshold = DeadLetterThreshold };
}
