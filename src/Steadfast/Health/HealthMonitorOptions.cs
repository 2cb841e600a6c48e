namespace Steadfast;

/// <summary>
/// Configures a <see cref="HealthMonitor"/>. The monitor copies the values when it is built and validates them there.
/// </summary>
public sealed class HealthMonitorOptions
{
    /// <summary>How often <see cref="HealthMonitor.StartAsync"/> checks every component. Allowed: 10 ms to 1 day.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan CheckInterval { get; set; } = HealthMonitorConstants.DefaultCheckInterval;

    /// <summary>How long one check may take; a check still running then is a failed check ("timed out"). Allowed: 10 ms to 1 day.</summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan CheckTimeout { get; set; } = HealthMonitorConstants.DefaultCheckTimeout;

    /// <summary>
    /// Consecutive failed checks after which a component is Unhealthy; the first failed check already makes it
    /// Degraded. Allowed: 1 to 1000.
    /// </summary>
    /// <value>The default is 3.</value>
    public int UnhealthyAfter { get; set; } = HealthMonitorConstants.DefaultUnhealthyAfter;

    /// <summary>Consecutive passed checks that return a Degraded or Unhealthy component to Healthy. Allowed: 1 to 1000.</summary>
    /// <value>The default is 2.</value>
    public int HealthyAfter { get; set; } = HealthMonitorConstants.DefaultHealthyAfter;

    /// <summary>Throws when a value is out of range, naming the property, the value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        const string Owner = nameof(HealthMonitorOptions);
        Guard.InRange(CheckInterval, HealthMonitorConstants.MinInterval, HealthMonitorConstants.MaxInterval, Owner);
        Guard.InRange(CheckTimeout, HealthMonitorConstants.MinInterval, HealthMonitorConstants.MaxInterval, Owner);
        Guard.InRange(UnhealthyAfter, 1, HealthMonitorConstants.MaxConsecutive, Owner);
        Guard.InRange(HealthyAfter, 1, HealthMonitorConstants.MaxConsecutive, Owner);
    }

    /// <summary>Returns a copy of these options.</summary>
    /// <returns>A new options object with the same values.</returns>
    public HealthMonitorOptions Clone() => new()
    {
        CheckInterval = CheckInterval,
        CheckTimeout = CheckTimeout,
        UnhealthyAfter = UnhealthyAfter,
        HealthyAfter = HealthyAfter,
    };
}
