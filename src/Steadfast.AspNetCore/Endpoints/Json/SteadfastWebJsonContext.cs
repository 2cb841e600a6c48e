using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steadfast.AspNetCore.Endpoints.Json;

/// <summary>
/// The source-generated JSON contract of the endpoints and the event stream: camelCase names, enums as strings. Every
/// response goes through it explicitly, so the application's own JSON options can neither change nor break it.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(IReadOnlyList<CircuitView>))]
[JsonSerializable(typeof(CircuitView))]
[JsonSerializable(typeof(CircuitStateRequest))]
[JsonSerializable(typeof(CircuitEvent))]
[JsonSerializable(typeof(IReadOnlyList<BlacklistView>))]
[JsonSerializable(typeof(BlacklistView))]
[JsonSerializable(typeof(BlacklistRequest))]
[JsonSerializable(typeof(BlacklistEvent))]
[JsonSerializable(typeof(IReadOnlyList<FailureView>))]
[JsonSerializable(typeof(AnalyticsView))]
[JsonSerializable(typeof(PatternView))]
[JsonSerializable(typeof(IReadOnlyList<QueueView>))]
[JsonSerializable(typeof(IReadOnlyList<WorkflowView>))]
[JsonSerializable(typeof(MetricsEvent))]
[JsonSerializable(typeof(AttemptEvent))]
[JsonSerializable(typeof(HelloEvent))]
[JsonSerializable(typeof(HealthView))]
[JsonSerializable(typeof(ModeView))]
[JsonSerializable(typeof(ModeRequest))]
[JsonSerializable(typeof(ModeEvent))]
[JsonSerializable(typeof(HealthEvent))]
[JsonSerializable(typeof(AlertEvent))]
[JsonSerializable(typeof(CreativeView))]
[JsonSerializable(typeof(CreativeEventView))]
internal sealed partial class SteadfastWebJsonContext : JsonSerializerContext;
