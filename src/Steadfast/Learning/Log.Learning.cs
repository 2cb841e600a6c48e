using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

/// <summary>Learning (FailureAnalyzer): event ids 3000-3499.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, EventName = "PatternDetected",
        Message = "Operation '{Operation}' shows the {Pattern} failure pattern ({FailureCount} failures, confidence {Confidence:0.00})")]
    public static partial void PatternDetected(ILogger logger, string operation, FailurePattern pattern, int failureCount, double confidence);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, EventName = "StrategyBlacklisted",
        Message = "Strategy '{Strategy}' is blacklisted for operation '{Operation}' until {ExpiresAt}: {Reason}")]
    public static partial void StrategyBlacklisted(ILogger logger, string strategy, string operation, DateTimeOffset? expiresAt, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, EventName = "StrategyUnblacklisted",
        Message = "Strategy '{Strategy}' was removed from the blacklist of operation '{Operation}'")]
    public static partial void StrategyUnblacklisted(ILogger logger, string strategy, string operation);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, EventName = "PersistenceUnavailable",
        Message = "The failure store {Store} cannot be used; learning continues in memory and the store is tried again every {RetryInterval}. {Problem}")]
    public static partial void PersistenceUnavailable(ILogger logger, string store, TimeSpan retryInterval, string problem, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, EventName = "PersistenceRestored",
        Message = "The failure store {Store} works again; {Pending} pending writes are being stored")]
    public static partial void PersistenceRestored(ILogger logger, string store, int pending);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, EventName = "FailuresDropped",
        Message = "The write buffer of the failure store {Store} is full ({Capacity} failures); failures are kept in memory but not persisted until it drains ({Dropped} dropped so far)")]
    public static partial void FailuresDropped(ILogger logger, string store, int capacity, long dropped);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, EventName = "FailuresLostAtShutdown",
        Message = "{Count} failures could not be written to the failure store {Store} before shutdown")]
    public static partial void FailuresLostAtShutdown(ILogger logger, int count, string store);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, EventName = "RetentionCleanup",
        Message = "Deleted {Deleted} failures older than {Days} days from {Store}")]
    public static partial void RetentionCleanup(ILogger logger, int deleted, int days, string store);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Debug, EventName = "LearningLoaded",
        Message = "Loaded {Failures} recent failures, {Blacklist} blacklist entries and {Statistics} strategy statistics from {Store}")]
    public static partial void LearningLoaded(ILogger logger, int failures, int blacklist, int statistics, string store);
}
