namespace Steadfast;

/// <summary>How one entry of a <see cref="SteadfastCache"/> is kept.</summary>
public sealed class SteadfastCacheEntryOptions
{
    /// <summary>How long the entry is fresh.</summary>
    /// <value>The default is <see langword="null"/>: the cache's <see cref="SteadfastCacheOptions.DefaultTimeToLive"/>.</value>
    public TimeSpan? TimeToLive { get; set; }

    /// <summary>The entry's namespace: a version bump or a purge of it invalidates all its entries.</summary>
    /// <value>The default is the empty namespace.</value>
    public string Namespace { get; set; } = string.Empty;

    /// <summary>The entry's tags, for <see cref="SteadfastCache.RemoveByTagAsync"/>.</summary>
    /// <value>The default is none.</value>
    public IReadOnlyList<string> Tags { get; set; } = [];

    /// <summary>Validates the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        const string owner = nameof(SteadfastCacheEntryOptions);
        if (TimeToLive is { } ttl)
        {
            Guard.That(ttl > TimeSpan.Zero, ttl, "must be more than zero", owner, nameof(TimeToLive));
        }

        ArgumentNullException.ThrowIfNull(Namespace, $"{owner}.{nameof(Namespace)}");
        ArgumentNullException.ThrowIfNull(Tags, $"{owner}.{nameof(Tags)}");
    }

    /// <summary>Copies the options.</summary>
    /// <returns>An independent copy.</returns>
    public SteadfastCacheEntryOptions Clone() => new() { TimeToLive = TimeToLive, Namespace = Namespace, Tags = [.. Tags] };
}
