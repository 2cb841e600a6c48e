namespace Steadfast;

/// <summary>How the Redis stores name their keys, how long they keep failures and how many events the bus holds.</summary>
/// <remarks>
/// Every key starts with <see cref="KeyPrefix"/> and the schema version (<c>steadfast:v1:…</c>), so several applications
/// (or several environments) can share one Redis server, and a future format can live beside this one. docs/redis.md lists the keys.
/// </remarks>
public sealed class RedisStoreOptions
{
    /// <summary>The longest allowed <see cref="KeyPrefix"/>.</summary>
    private const int MaxKeyPrefixLength = 100;

    /// <summary>The default <see cref="KeyPrefix"/>: <c>steadfast:</c>.</summary>
    public const string DefaultKeyPrefix = "steadfast:";

    /// <summary>The start of every key the stores write, and of the pub/sub channels they use.</summary>
    /// <value>The default is <c>steadfast:</c>; 1 to 100 characters.</value>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>
    /// How long the failure keys live after the last write (their TTL), so an application that stops writing leaves nothing
    /// behind. Older failures are deleted by the analyzer's periodic cleanup (<c>CleanupOldFailuresAsync</c>), as on SQLite.
    /// </summary>
    /// <value>The default is 30 days; 1 day to 36,500 days.</value>
    public TimeSpan FailureRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many events <see cref="RedisEventBus"/> holds for its subscribers and for publishing; beyond it events are dropped and counted.</summary>
    /// <value>The default is 10,000; 1 to 10,000,000.</value>
    public int EventBufferCapacity { get; set; } = 10_000;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException"><see cref="KeyPrefix"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        Guard.NotNullOrWhiteSpace(KeyPrefix, nameof(RedisStoreOptions));
        Guard.InRange(KeyPrefix.Length, 1, MaxKeyPrefixLength, nameof(RedisStoreOptions), "KeyPrefix");
        Guard.InRange(FailureRetention, TimeSpan.FromDays(Steadfast.FailureRetention.MinDays), TimeSpan.FromDays(Steadfast.FailureRetention.MaxDays), nameof(RedisStoreOptions));
        Guard.InRange(EventBufferCapacity, 1, 10_000_000, nameof(RedisStoreOptions));
    }

    /// <summary>A copy whose changes do not affect this one.</summary>
    /// <returns>The copy.</returns>
    public RedisStoreOptions Clone() => (RedisStoreOptions)MemberwiseClone();
}
