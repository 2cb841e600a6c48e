namespace Steadfast;

/// <summary>
/// How much a component matters to the whole system. It weights the component in <see cref="HealthMonitor.OverallStatus"/>
/// and decides whether its outage puts an <c>OperationModeManager</c> into <c>OperationMode.Emergency</c>.
/// </summary>
public enum ComponentSeverity
{
    /// <summary>Nice to have: Unhealthy counts as Degraded overall, Degraded does not count at all.</summary>
    Low = 0,

    /// <summary>A normal dependency: Unhealthy and Degraded count as Degraded overall.</summary>
    Medium,

    /// <summary>A main dependency: counts fully overall; Unhealthy means Emergency.</summary>
    High,

    /// <summary>The system cannot work without it: counts fully overall; Unhealthy means Emergency.</summary>
    Critical,
}
