using System.Text.Json.Serialization;

namespace Steadfast.Redis.Core;

/// <summary>
/// Source-generated JSON for every value the Redis stores write (no reflection: trimmed and native AOT apps). Each record
/// carries its format version <c>v</c>, so a newer Steadfast can read an older value and an older one refuses a newer one.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FailureJson))]
[JsonSerializable(typeof(BlacklistJson))]
[JsonSerializable(typeof(CircuitJson))]
[JsonSerializable(typeof(CheckpointJson))]
[JsonSerializable(typeof(WorkflowJson))]
[JsonSerializable(typeof(StepJson))]
[JsonSerializable(typeof(ChangeMessage))]
[JsonSerializable(typeof(Steadfast.Redis.Events.RemoteEvent))]
internal sealed partial class RedisJsonContext : JsonSerializerContext;

/// <summary>A stored failure.</summary>
internal sealed record FailureJson(int V, long Id, DateTimeOffset Timestamp, string Operation, string? Strategy, string ErrorType, string ErrorMessage,
    ErrorCategory Category, int? StatusCode, Dictionary<string, string?>? Context);

/// <summary>A stored blacklist entry.</summary>
internal sealed record BlacklistJson(int V, string StrategyName, string Operation, string Reason, int FailureCount, DateTimeOffset AddedAt,
    DateTimeOffset? ExpiresAt, bool IsAutomatic, int TimesBlacklisted);

/// <summary>
/// A stored circuit snapshot. <c>Origin</c> names the store instance that saved it, so the resync after a reconnect skips
/// this machine's own (possibly stale) snapshot; absent in values written before it existed.
/// </summary>
internal sealed record CircuitJson(int V, string Name, CircuitState State, int ConsecutiveFailures, DateTimeOffset? OpenedAt, DateTimeOffset? OpenUntil,
    int ConsecutiveOpenings, DateTimeOffset? LastFailureAt, string? LastError, DateTimeOffset SavedAt, string? Origin = null);

/// <summary>A stored checkpoint; the data is kept as given (base64 in the JSON).</summary>
internal sealed record CheckpointJson(int V, DateTimeOffset CreatedAt, int FormatVersion, string Checksum, byte[] Data);

/// <summary>A stored workflow record.</summary>
internal sealed record WorkflowJson(int V, string WorkflowId, WorkflowStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int RunCount,
    int CompletedSteps, string? Error);

/// <summary>A stored workflow step; <c>Order</c> keeps the order steps were stored in.</summary>
internal sealed record StepJson(int V, long Order, DateTimeOffset CompletedAt, string Checksum, byte[] Result);

/// <summary>A change published to the other machines: a blacklist entry set or removed, a circuit snapshot, or saved failures.</summary>
internal sealed record ChangeMessage(int V, string Origin, string Kind, string? Strategy, string? Operation, BlacklistJson? Entry, CircuitJson? Circuit,
    IReadOnlyList<FailureJson>? Failures = null);
