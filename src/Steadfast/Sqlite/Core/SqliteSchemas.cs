namespace Steadfast.Sqlite;

/// <summary>
/// The modules Steadfast's SQLite stores keep, one per kind of store. Migration 1 of each is what the first releases
/// created (with <c>IF NOT EXISTS</c>, so their files are adopted as they are). Times are Unix milliseconds (UTC) in
/// the learning and circuit tables, .NET ticks (UTC) in the durable ones; days are Unix days.
/// </summary>
internal static class SqliteSchemas
{
    /// <summary>Failures (with a rollup for analytics), the blacklist and the strategy statistics: <see cref="SqliteFailureStore"/>.</summary>
    public static readonly SqliteSchemaModule Learning = new("learning", """
        CREATE TABLE IF NOT EXISTS failures (
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
        CREATE INDEX IF NOT EXISTS ix_failures_timestamp ON failures (timestamp);
        -- GetFailuresAsync(operation[, since]), the analyzer's start-up load, CLI per-operation views.
        CREATE INDEX IF NOT EXISTS ix_failures_operation_timestamp ON failures (operation, timestamp);
        -- GetFailuresAsync(errorType[, since]), CLI per-error views.
        CREATE INDEX IF NOT EXISTS ix_failures_error_type_timestamp ON failures (error_type, timestamp);

        -- Kept in step with failures in the same transactions, so analytics read a few rows per day instead of every failure.
        CREATE TABLE IF NOT EXISTS failure_rollup (
            day INTEGER NOT NULL,
            operation TEXT NOT NULL,
            error_type TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (day, operation, error_type)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_failure_rollup_error_type ON failure_rollup (error_type, count);
        CREATE INDEX IF NOT EXISTS ix_failure_rollup_operation ON failure_rollup (operation, count);

        CREATE TABLE IF NOT EXISTS blacklist (
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
        CREATE INDEX IF NOT EXISTS ix_blacklist_expires_at ON blacklist (expires_at);

        CREATE TABLE IF NOT EXISTS strategy_statistics (
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
        """);

    /// <summary>Circuit breaker snapshots: <see cref="SqliteCircuitStateStore"/>.</summary>
    public static readonly SqliteSchemaModule Circuits = new("circuits", """
        CREATE TABLE IF NOT EXISTS circuit_snapshots (
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
        """);

    /// <summary>Checkpoints, workflow records and completed steps: <see cref="SqliteCheckpointStore"/>.</summary>
    public static readonly SqliteSchemaModule Checkpoints = new("checkpoints", """
        CREATE TABLE IF NOT EXISTS steadfast_checkpoints (
            workflow_id TEXT NOT NULL, sequence INTEGER NOT NULL, created_at INTEGER NOT NULL,
            format_version INTEGER NOT NULL, checksum TEXT NOT NULL, size_bytes INTEGER NOT NULL, data BLOB NOT NULL,
            PRIMARY KEY (workflow_id, sequence));
        CREATE TABLE IF NOT EXISTS steadfast_workflows (
            workflow_id TEXT NOT NULL PRIMARY KEY, status INTEGER NOT NULL, created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL, run_count INTEGER NOT NULL, completed_steps INTEGER NOT NULL, error TEXT);
        CREATE TABLE IF NOT EXISTS steadfast_workflow_steps (
            workflow_id TEXT NOT NULL, step_key TEXT NOT NULL, completed_at INTEGER NOT NULL,
            checksum TEXT NOT NULL, result BLOB NOT NULL, PRIMARY KEY (workflow_id, step_key));
        """);

    /// <summary>Queue items (pending, in flight, dead) and per-queue counters: <see cref="SqliteQueueStore"/>.</summary>
    public static readonly SqliteSchemaModule Queues = new("queues", """
        CREATE TABLE IF NOT EXISTS steadfast_queue_items (
            id INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, priority INTEGER NOT NULL,
            status INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, enqueued_at INTEGER NOT NULL,
            lease_token INTEGER, lease_expires_at INTEGER, last_error TEXT, dead_lettered_at INTEGER, payload BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_steadfast_queue_claim ON steadfast_queue_items (queue, status, priority DESC, id);
        CREATE TABLE IF NOT EXISTS steadfast_queue_counters (
            queue TEXT NOT NULL PRIMARY KEY, active INTEGER NOT NULL DEFAULT 0, completed INTEGER NOT NULL DEFAULT 0);
        """);
}
