using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Steadfast.Redis.Core;

/// <summary>Writes and reads the versioned JSON values; a value of a newer format is refused, never half-read.</summary>
internal static class RedisJson
{
    /// <summary>The format version of every value this Steadfast writes.</summary>
    public const int Version = 1;

    public static string Write<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    public static T Read<T>(string json, JsonTypeInfo<T> type, Func<T, int> version, string storeName, string what)
        where T : class
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException ex)
        {
            throw new StoreException(StoreFailure.Corrupt, storeName, string.Empty, $"{storeName} read a damaged {what} from Redis; delete the key or restore a backup.", ex);
        }

        if (value is null)
        {
            throw new StoreException(StoreFailure.Corrupt, storeName, string.Empty, $"{storeName} read an empty {what} from Redis; delete the key.", null);
        }

        if (version(value) > Version)
        {
            throw new StoreException(StoreFailure.Incompatible, storeName, string.Empty,
                $"{storeName} read a {what} written by a newer Steadfast (format {version(value)}, this one reads up to {Version}); upgrade Steadfast or use another KeyPrefix.", null);
        }

        return value;
    }

    public static FailureJson ToJson(Failure f, long id) => new(Version, id, f.Timestamp, f.Operation, f.Strategy, f.ErrorType, f.ErrorMessage, f.Category, f.StatusCode,
        f.Context.Count == 0 ? null : new Dictionary<string, string?>(f.Context, StringComparer.Ordinal));

    public static Failure FromJson(FailureJson j) => new()
    {
        Id = j.Id,
        Timestamp = j.Timestamp,
        Operation = j.Operation,
        Strategy = j.Strategy,
        ErrorType = j.ErrorType,
        ErrorMessage = j.ErrorMessage,
        Category = j.Category,
        StatusCode = j.StatusCode,
        Context = j.Context is null ? Failure.EmptyContext : j.Context,
    };

    public static BlacklistJson ToJson(BlacklistEntry e) => new(Version, e.StrategyName, e.Operation, e.Reason, e.FailureCount, e.AddedAt, e.ExpiresAt, e.IsAutomatic, e.TimesBlacklisted);

    public static BlacklistEntry FromJson(BlacklistJson j) => new()
    {
        StrategyName = j.StrategyName,
        Operation = j.Operation,
        Reason = j.Reason,
        FailureCount = j.FailureCount,
        AddedAt = j.AddedAt,
        ExpiresAt = j.ExpiresAt,
        IsAutomatic = j.IsAutomatic,
        TimesBlacklisted = j.TimesBlacklisted,
    };

    public static CircuitJson ToJson(CircuitBreakerSnapshot s) => new(Version, s.Name, s.State, s.ConsecutiveFailures, s.OpenedAt, s.OpenUntil, s.ConsecutiveOpenings,
        s.LastFailureAt, s.LastError, s.SavedAt);

    public static CircuitBreakerSnapshot FromJson(CircuitJson j) => new()
    {
        Name = j.Name,
        State = j.State,
        ConsecutiveFailures = j.ConsecutiveFailures,
        OpenedAt = j.OpenedAt,
        OpenUntil = j.OpenUntil,
        ConsecutiveOpenings = j.ConsecutiveOpenings,
        LastFailureAt = j.LastFailureAt,
        LastError = j.LastError,
        SavedAt = j.SavedAt,
    };
}
