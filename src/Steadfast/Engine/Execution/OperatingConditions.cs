using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast;

/// <summary>
/// What the system's own view of itself changes in an execution: the <see cref="HealthMonitor"/>'s component statuses
/// (health-aware routing) and the <see cref="OperationModeManager"/>'s mode. Both are optional; without them every
/// execution runs as in <see cref="OperationMode.Normal"/> with every component healthy. Reads are lock-free.
/// </summary>
internal sealed class OperatingConditions(HealthMonitor? health, OperationModeManager? modes, bool loadBalancing, Func<double> random)
{
    /// <summary>The score factor of a strategy whose component is Degraded: it ranks lower, but still above a failing one.</summary>
    public const double DegradedFactor = 0.5;

    public OperationMode Mode => modes?.CurrentMode ?? OperationMode.Normal;

    /// <summary>Race and hedged modes spend extra requests: only in Normal mode. Otherwise the execution runs sequentially.</summary>
    public bool AllowsParallel => Mode == OperationMode.Normal;

    /// <summary>Creative solving (an LLM round, new untested strategies) only in Normal mode.</summary>
    public bool AllowsCreativeSolving => Mode == OperationMode.Normal;

    public bool LoadBalancing => loadBalancing;

    /// <summary>The score factor of the strategy's component: 1, or <see cref="DegradedFactor"/> when it is Degraded.</summary>
    public double HealthFactor<T>(Strategy<T> strategy) =>
        StatusOf(strategy) == HealthStatus.Degraded ? DegradedFactor : 1.0;

    /// <summary>Whether the health monitor reports the strategy's component Unhealthy.</summary>
    public bool IsUnhealthy<T>(Strategy<T> strategy) => StatusOf(strategy) == HealthStatus.Unhealthy;

    /// <summary>A number in [0, 1) for weighted draws (the engine's randomizer, so tests can seed it).</summary>
    public double Next() => random();

    private HealthStatus? StatusOf<T>(Strategy<T> strategy) =>
        health is not null && strategy.HealthComponent is { } component && health.TryGetStatus(component, out var status) ? status : null;
}
