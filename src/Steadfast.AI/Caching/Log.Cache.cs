using Microsoft.Extensions.Logging;

namespace Steadfast.AI;

/// <summary>The cache's log messages (event ids 15100-15199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 15100, Level = LogLevel.Warning, EventName = "CacheLevelFailed",
        Message = "Cache level {Level} failed; the lookup goes on without it")]
    public static partial void CacheLevelFailed(ILogger logger, CacheLevel level, Exception exception);

    [LoggerMessage(EventId = 15101, Level = LogLevel.Warning, EventName = "CacheServedStale",
        Message = "The factory of cache key {Key} failed; serving the entry that expired {Ago} ago, marked stale")]
    public static partial void ServedStale(ILogger logger, string key, TimeSpan ago, Exception exception);

    [LoggerMessage(EventId = 15102, Level = LogLevel.Warning, EventName = "CacheSerializationFailed",
        Message = "A value of type {Type} could not be serialized for the disk and distributed levels; it is kept in memory only")]
    public static partial void CacheSerializationFailed(ILogger logger, string type, Exception exception);
}
