using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Steadfast.Telemetry;

/// <summary>
/// The one <see cref="Meter"/> and <see cref="ActivitySource"/> of Steadfast, both named <c>Steadfast</c>.
/// OpenTelemetry picks them up with <c>AddMeter("Steadfast")</c> and <c>AddSource("Steadfast")</c>.
/// Instrument names and tags are a contract once shipped; they are listed in docs/telemetry.md (the engine records one span per execution, steadfast.engine.execute).
/// </summary>
public static class SteadfastTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Steadfast";

    /// <summary>The meter every Steadfast instrument belongs to.</summary>
    public static readonly Meter Meter = new(Name, typeof(SteadfastTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The activity source every Steadfast span comes from.</summary>
    public static readonly ActivitySource ActivitySource = new(Name, typeof(SteadfastTelemetry).Assembly.GetName().Version?.ToString());
}
