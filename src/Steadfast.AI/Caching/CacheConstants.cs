namespace Steadfast;

/// <summary>Defaults of <see cref="SteadfastCache"/>, written once.</summary>
internal static class CacheConstants
{
    public const int DefaultMaxMemoryEntries = 10_000;

    public static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan DefaultStaleGracePeriod = TimeSpan.FromMinutes(1);

    public const string DefaultDistributedKeyPrefix = "steadfast:cache:";

    /// <summary>Separates namespace, version and key in a stored key; a control character no ordinary key contains.</summary>
    public const char KeySeparator = '\u001f';
}
