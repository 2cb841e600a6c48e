using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.Health.Monitoring;

/// <summary>
/// The result of one check, before hysteresis: what the check reported (a throw or a timeout reports Unhealthy), how
/// long it took and when it finished. <see cref="Direct"/> outcomes (a circuit's state) skip hysteresis.
/// </summary>
internal readonly record struct CheckOutcome(
    HealthStatus Reported,
    string? Description,
    Exception? Exception,
    TimeSpan Latency,
    DateTimeOffset At,
    bool Direct);
