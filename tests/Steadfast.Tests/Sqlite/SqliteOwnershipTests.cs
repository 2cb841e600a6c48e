using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Steadfast.Tests.Sqlite;

/// <summary>
/// Steadfast marks its files and refuses everyone else's without writing a byte: both sides of the rule, with
/// checksums of the whole directory before and after.
/// </summary>
public sealed class SqliteOwnershipTests : IDisposable
{
    private const long SteadfastApplicationId = 0x53544446;
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    public static TheoryData<string> ForeignFiles => ["other-app", "own-failures-table", "text", "random", "marked-by-another-app"];

    [Theory]
    [MemberData(nameof(ForeignFiles))]
    public async Task FirstUse_FileThatIsNotSteadfasts_ThrowsForeignAndLeavesEveryByteAsItWas(string kind)
    {
        var path = _db.File("app.db");
        Create(kind, path);
        var before = Snapshot();

        await using var store = new SqliteFailureStore(path);
        var write = await Assert.ThrowsAsync<StoreException>(async () => await store.SaveFailureAsync(NewFailure()));
        var read = await Assert.ThrowsAsync<StoreException>(async () => await store.GetFailuresAsync());
        await using var circuits = new SqliteCircuitStateStore(path);
        var circuit = await Assert.ThrowsAsync<StoreException>(async () => await circuits.LoadAllAsync());

        Assert.All([write, read, circuit], ex => Assert.Equal(StoreFailure.Foreign, ex.Failure));
        Assert.Contains(path, write.Message, StringComparison.Ordinal);
        Assert.Contains("left as it is", write.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot()); // same files (no -wal, no -shm, no journal), same bytes
    }

    public static TheoryData<string> StoreKinds => ["failures", "circuits", "checkpoints", "queue"];

    [Theory]
    [MemberData(nameof(StoreKinds))]
    public async Task FirstUse_AnyStoreKind_MarksTheFileItCreates(string kind)
    {
        var path = _db.File(kind + ".db");

        await UseAsync(kind, path);

        Assert.Equal(SteadfastApplicationId, Scalar(path, "PRAGMA application_id;"));
        Assert.Equal(1L, Scalar(path, "PRAGMA user_version;"));
    }

    [Theory]
    [MemberData(nameof(StoreKinds))]
    public async Task FirstUse_AnyStoreKind_RefusesAnotherApplicationsDatabaseUntouched(string kind)
    {
        var path = _db.File("app.db");
        Create("other-app", path);
        var before = Snapshot();

        var ex = await Assert.ThrowsAsync<StoreException>(() => UseAsync(kind, path));

        Assert.Equal(StoreFailure.Foreign, ex.Failure);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task FirstUse_DamagedSteadfastFile_ThrowsCorruptAndLeavesIt()
    {
        var path = _db.File("damaged.db");
        await UseAsync("failures", path);
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Position = 100; // the first page after the header: the table definitions
            await stream.WriteAsync(RandomNumberGenerator.GetBytes(1000));
        }

        var before = Snapshot();

        await using var store = new SqliteFailureStore(path);
        var ex = await Assert.ThrowsAsync<StoreException>(async () => await store.SaveFailureAsync(NewFailure()));

        Assert.Equal(StoreFailure.Corrupt, ex.Failure);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task FirstUse_WrittenByANewerSteadfast_ThrowsIncompatibleAndLeavesTheFile()
    {
        var path = _db.File("newer.db");
        Execute(path, $"PRAGMA application_id = {SteadfastApplicationId}; PRAGMA user_version = 2; CREATE TABLE future (x);");
        var before = Snapshot();

        await using var store = new SqliteFailureStore(path);
        var ex = await Assert.ThrowsAsync<StoreException>(async () => await store.SaveFailureAsync(NewFailure()));

        Assert.Equal(StoreFailure.Incompatible, ex.Failure);
        Assert.Contains("newer Steadfast", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FirstUse_NewOrEmptyFile_IsClaimedAndMarked(bool zeroByteFileExists)
    {
        var path = _db.File("new.db");
        if (zeroByteFileExists)
        {
            await File.WriteAllBytesAsync(path, []);
        }

        await using (var store = new SqliteFailureStore(path))
        {
            await store.SaveFailureAsync(NewFailure());
            Assert.Single(await store.GetFailuresAsync());
        }

        Assert.Equal(SteadfastApplicationId, Scalar(path, "PRAGMA application_id;"));
        Assert.Equal(1L, Scalar(path, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task FirstUse_FileOfAnOlderSteadfast_IsAdoptedWithItsData()
    {
        // What the first releases wrote: no mark, one schema_version table, the learning and circuit tables.
        var path = _db.File("legacy.db");
        Execute(path, """
            CREATE TABLE schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
            INSERT INTO schema_version VALUES (1, 1);
            CREATE TABLE failures (id INTEGER PRIMARY KEY, timestamp INTEGER NOT NULL, operation TEXT NOT NULL, strategy TEXT NULL,
                error_type TEXT NOT NULL, error_message TEXT NOT NULL, category INTEGER NOT NULL, status_code INTEGER NULL, context TEXT NULL);
            CREATE TABLE failure_rollup (day INTEGER NOT NULL, operation TEXT NOT NULL, error_type TEXT NOT NULL, count INTEGER NOT NULL,
                PRIMARY KEY (day, operation, error_type)) WITHOUT ROWID;
            CREATE TABLE blacklist (strategy_name TEXT NOT NULL, operation TEXT NOT NULL, reason TEXT NOT NULL, failure_count INTEGER NOT NULL,
                added_at INTEGER NOT NULL, expires_at INTEGER NULL, is_automatic INTEGER NOT NULL, times_blacklisted INTEGER NOT NULL,
                PRIMARY KEY (strategy_name, operation)) WITHOUT ROWID;
            CREATE TABLE strategy_statistics (strategy_name TEXT NOT NULL, operation TEXT NOT NULL, successes INTEGER NOT NULL,
                failures INTEGER NOT NULL, latency_samples INTEGER NOT NULL, total_latency_ticks INTEGER NOT NULL,
                last_success_at INTEGER NULL, last_failure_at INTEGER NULL, PRIMARY KEY (strategy_name, operation)) WITHOUT ROWID;
            CREATE TABLE circuit_snapshots (name TEXT NOT NULL PRIMARY KEY, state INTEGER NOT NULL, consecutive_failures INTEGER NOT NULL,
                opened_at INTEGER NULL, open_until INTEGER NULL, consecutive_openings INTEGER NOT NULL, last_failure_at INTEGER NULL,
                last_error TEXT NULL, saved_at INTEGER NOT NULL) WITHOUT ROWID;
            INSERT INTO failures (timestamp, operation, error_type, error_message, category) VALUES (1767000000000, 'old-op', 'X', 'kept', 0);
            INSERT INTO circuit_snapshots VALUES ('old-circuit', 1, 5, NULL, NULL, 1, NULL, NULL, 1767000000000);
            """);

        await using var store = new SqliteFailureStore(path);
        await using var circuits = new SqliteCircuitStateStore(path);

        Assert.Equal("kept", Assert.Single(await store.GetFailuresAsync()).ErrorMessage);
        Assert.Equal("old-circuit", Assert.Single(await circuits.LoadAllAsync()).Name);
        Assert.Equal(SteadfastApplicationId, Scalar(path, "PRAGMA application_id;"));
        Assert.Equal(0L, Scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_version';"));
    }

    [Fact]
    public async Task FirstUse_QueueFileOfAnOlderSteadfast_IsAdoptedWithItsItems()
    {
        var path = _db.File("legacy-queue.db");
        Execute(path, """
            CREATE TABLE steadfast_queue_items (id INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, priority INTEGER NOT NULL,
                status INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, enqueued_at INTEGER NOT NULL, lease_token INTEGER,
                lease_expires_at INTEGER, last_error TEXT, dead_lettered_at INTEGER, payload BLOB NOT NULL);
            CREATE TABLE steadfast_queue_counters (queue TEXT NOT NULL PRIMARY KEY, active INTEGER NOT NULL DEFAULT 0, completed INTEGER NOT NULL DEFAULT 0);
            INSERT INTO steadfast_queue_items (queue, priority, status, enqueued_at, payload) VALUES ('q', 0, 0, 0, x'2A');
            INSERT INTO steadfast_queue_counters VALUES ('q', 1, 0);
            """);

        await using var store = new SqliteQueueStore(path, "q");

        Assert.Equal(1, (await store.GetStatsAsync()).Pending);
        Assert.Equal(SteadfastApplicationId, Scalar(path, "PRAGMA application_id;"));
    }

    /// <summary>Writes through one kind of store, then closes it (and every pooled connection) so the file can be compared.</summary>
    private static async Task UseAsync(string kind, string path)
    {
        try
        {
            switch (kind)
            {
                case "failures":
                    await using (var store = new SqliteFailureStore(path))
                    {
                        await store.SaveFailureAsync(NewFailure());
                    }

                    break;
                case "circuits":
                    await using (var store = new SqliteCircuitStateStore(path))
                    {
                        await store.SaveAsync(new CircuitBreakerSnapshot { Name = "c", State = CircuitState.Closed, SavedAt = NewFailure().Timestamp });
                    }

                    break;
                case "checkpoints":
                    await using (var store = new SqliteCheckpointStore(path))
                    {
                        await store.ListCheckpointsAsync("w");
                    }

                    break;
                default:
                    await using (var store = new SqliteQueueStore(path, "q"))
                    {
                        await store.GetStatsAsync();
                    }

                    break;
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    private static Failure NewFailure() => new()
    {
        Timestamp = new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero),
        Operation = "op",
        ErrorType = "TimeoutException",
        ErrorMessage = "timed out",
    };

    private static void Create(string kind, string path) => ForeignFile.Create(kind, path);

    private string Snapshot() => ForeignFile.Snapshot(_db.Directory);

    private static void Execute(string path, string sql) => ForeignFile.Execute(path, sql);

    private static object? Scalar(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
