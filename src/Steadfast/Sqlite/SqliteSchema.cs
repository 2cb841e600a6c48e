namespace Steadfast.Storage.Sqlite;

/// <summary>
/// The schema of a Steadfast SQLite file, as forward migrations: <c>Migrations[i]</c> takes version i to i + 1.
/// Never edit a shipped migration; append a new one.
/// </summary>
/// <remarks>Times are Unix milliseconds (UTC); days are Unix days (milliseconds / 86400000).</remarks>
internal static class SqliteSchema
{
    public const string VersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        );
        """;

    public static readonly string[] Migrations =
    [
        // 1: failures (+ rollup for analytics), blacklist, strategy statistics, circuit snapshots.
        """
        CREATE TABLE failures (
            id INTEGER PRIMARY KEY,
            timestamp INTEGER NOT NULL,
            operation TEXT NOT NULL,
            strategy TEXT NULL,
            error_type TEXT NOT NULL,
            error_message TEXT NOT NULL,
            category INTEGER NOT NULL,
            status_code INTEGER NULL,
            context TEXT NULL
        );
        -- GetFailuresAsync(since), retention cleanup, CLI "recent failures".
        CREATE INDEX ix_failures_timestamp ON failures (timestamp);
        -- GetFailuresAsync(operation[, since]), the analyzer's start-up load, CLI per-operation views.
        CREATE INDEX ix_failures_operation_timestamp ON failures (operation, timestamp);
        -- GetFailuresAsync(errorType[, since]), CLI per-error views.
        CREATE INDEX ix_failures_error_type_timestamp ON failures (error_type, timestamp);

        -- Kept in step with failures in the same transactions, so analytics read a few rows per day instead of every failure.
        CREATE TABLE failure_rollup (
            day INTEGER NOT NULL,
            operation TEXT NOT NULL,
            error_type TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (day, operation, error_type)
        ) WITHOUT ROWID;
        CREATE INDEX ix_failure_rollup_error_type ON failure_rollup (error_type, count);
        CREATE INDEX ix_failure_rollup_operation ON failure_rollup (operation, count);

        CREATE TABLE blacklist (
            strategy_name TEXT NOT NULL,
            operation TEXT NOT NULL,
            reason TEXT NOT NULL,
            failure_count INTEGER NOT NULL,
            added_at INTEGER NOT NULL,
            expires_at INTEGER NULL,
            is_automatic INTEGER NOT NULL,
            times_blacklisted INTEGER NOT NULL,
            PRIMARY KEY (strategy_name, operation)
        ) WITHOUT ROWID;
        -- Active-entry count for analytics and the CLI.
        CREATE INDEX ix_blacklist_expires_at ON blacklist (expires_at);

        CREATE TABLE strategy_statistics (
            strategy_name TEXT NOT NULL,
            operation TEXT NOT NULL,
            successes INTEGER NOT NULL,
            failures INTEGER NOT NULL,
            latency_samples INTEGER NOT NULL,
            total_latency_ticks INTEGER NOT NULL,
            last_success_at INTEGER NULL,
            last_failure_at INTEGER NULL,
            PRIMARY KEY (strategy_name, operation)
        ) WITHOUT ROWID;

        CREATE TABLE circuit_snapshots (
            name TEXT NOT NULL PRIMARY KEY,
            state INTEGER NOT NULL,
            consecutive_failures INTEGER NOT NULL,
            opened_at INTEGER NULL,
            open_until INTEGER NULL,
            consecutive_openings INTEGER NOT NULL,
            last_failure_at INTEGER NULL,
            last_error TEXT NULL,
            saved_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    ];
}
