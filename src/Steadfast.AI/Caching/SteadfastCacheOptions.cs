using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Steadfast;

/// <summary>Options of a <see cref="SteadfastCache"/>.</summary>
public sealed class SteadfastCacheOptions
{
    /// <summary>Whether L1 (process memory) is used.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseMemory { get; set; } = true;

    /// <summary>The most entries L1 holds; beyond it the least recently used are evicted (counted as evictions).</summary>
    /// <value>The default is 10,000.</value>
    public int MaxMemoryEntries { get; set; } = CacheConstants.DefaultMaxMemoryEntries;

    /// <summary>How long an entry is fresh when its own options do not say.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan DefaultTimeToLive { get; set; } = CacheConstants.DefaultTimeToLive;

    /// <summary>How long after expiry an entry is still served, marked stale, when the factory fails.</summary>
    /// <value>The default is 1 minute; zero turns stale-on-error off.</value>
    public TimeSpan StaleGracePeriod { get; set; } = CacheConstants.DefaultStaleGracePeriod;

    /// <summary>The prefix of every key this cache writes to the distributed cache (L3), so several caches can share a server.</summary>
    /// <value>The default is <c>steadfast:cache:</c>.</value>
    public string DistributedKeyPrefix { get; set; } = CacheConstants.DefaultDistributedKeyPrefix;

    /// <summary>
    /// How values other than <see cref="string"/> and <see cref="byte"/> arrays are serialized for L2 and L3: their type's
    /// <c>JsonTypeInfo</c> is taken from these options (source-generated resolvers work in trimmed and AOT apps).
    /// </summary>
    /// <value>The default is <see cref="AIJsonUtilities.DefaultOptions"/>, which knows the Microsoft.Extensions.AI types (ChatResponse, ...).</value>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = AIJsonUtilities.DefaultOptions;

    /// <summary>Validates the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        const string owner = nameof(SteadfastCacheOptions);
        Guard.AtLeast(MaxMemoryEntries, 1, owner);
        Guard.That(DefaultTimeToLive > TimeSpan.Zero, DefaultTimeToLive, "must be more than zero", owner);
        Guard.AtLeast(StaleGracePeriod, TimeSpan.Zero, owner);
        ArgumentNullException.ThrowIfNull(DistributedKeyPrefix, $"{owner}.{nameof(DistributedKeyPrefix)}");
        ArgumentNullException.ThrowIfNull(JsonSerializerOptions, $"{owner}.{nameof(JsonSerializerOptions)}");
    }

    /// <summary>Copies the options (the serializer options are shared: they are immutable once used).</summary>
    /// <returns>An independent copy.</returns>
    public SteadfastCacheOptions Clone() => (SteadfastCacheOptions)MemberwiseClone();
}
