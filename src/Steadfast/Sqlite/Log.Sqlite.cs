using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

/// <summary>SQLite stores: event ids 3500-3999.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3500, Level = LogLevel.Information, EventName = "SchemaMigrated",
        Message = "SQLite database '{File}': {Module} tables migrated from version {From} to {To}")]
    public static partial void SchemaMigrated(ILogger logger, string file, string module, int from, int to);

    [LoggerMessage(EventId = 3501, Level = LogLevel.Debug, EventName = "DatabaseOpened",
        Message = "SQLite database '{File}' opened (journal mode {JournalMode}, file layout {Version})")]
    public static partial void DatabaseOpened(ILogger logger, string file, string journalMode, int version);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Trace, EventName = "FailureBatchWritten",
        Message = "Wrote {Count} failures to '{File}' in one transaction")]
    public static partial void FailureBatchWritten(ILogger logger, int count, string file);
}
