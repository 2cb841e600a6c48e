using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Sqlite;

/// <summary>What only the SQLite store has: schema, pragmas, sharing a file, bad files.</summary>
public sealed class SqliteFailureStoreTests : IAsyncLifetime
{
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
    private readonly List<IAsyncDisposable> _stores = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        _db.Dispose();
    }

    /// <summary>A store disposed with the test (stores on one file share its writer until the last one is disposed).</summary>
    private SqliteFailureStore Open(string? path = null, TimeSpan? busyTimeout = null)
    {
        var store = new SqliteFailureStore(new SqliteStoreOptions { Path = path ?? _db.File(), BusyTimeout = busyTimeout ?? TimeSpan.FromSeconds(5) }, _time);
        _stores.Add(store);
        return store;
    }

    private Failure NewFailure(string operation = "op", int i = 0) => new()
    {
        Timestamp = _time.GetUtcNow().AddMilliseconds(i),
        Operation = operation,
        ErrorType = "TimeoutException",
        ErrorMessage = "timed out",
    };

    private static object? Scalar(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    [Fact]
    public async Task FirstUse_CreatesDirectoryWalFileAndCurrentSchemaVersion()
    {
        var path = Path.Combine(_db.Directory, "nested", "dir", "failures.db");
        var store = Open(path);

        await store.SaveFailureAsync(NewFailure());

        Assert.True(File.Exists(path));
        Assert.Equal("wal", Scalar(path, "PRAGMA journal_mode;"));
        Assert.Equal(1L, Scalar(path, "SELECT version FROM steadfast_schema WHERE module = 'learning';"));
        foreach (var index in new[] { "ix_failures_timestamp", "ix_failures_operation_timestamp", "ix_failures_error_type_timestamp", "ix_blacklist_expires_at" })
        {
            Assert.Equal(1L, Scalar(path, $"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '{index}';"));
        }
    }

    [Fact]
    public void Constructor_BadPath_DoesNotThrow()
    {
        var store = Open("/proc/forbidden/failures.db");

        Assert.EndsWith("failures.db", store.DatabasePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queries_UseTheirIndexes()
    {
        var store = Open();
        await store.SaveFailureAsync(NewFailure());

        Assert.Contains("ix_failures_operation_timestamp", Plan("SELECT * FROM failures WHERE operation = 'x' AND timestamp >= 0 ORDER BY timestamp DESC"), StringComparison.Ordinal);
        Assert.Contains("ix_failures_error_type_timestamp", Plan("SELECT * FROM failures WHERE error_type = 'x' ORDER BY timestamp DESC"), StringComparison.Ordinal);
        Assert.Contains("ix_failures_timestamp", Plan("DELETE FROM failures WHERE timestamp < 5"), StringComparison.Ordinal);

        string Plan(string sql)
        {
            using var c = new SqliteConnection($"Data Source={_db.File()};Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "EXPLAIN QUERY PLAN " + sql;
            using var r = cmd.ExecuteReader();
            var text = string.Empty;
            while (r.Read())
            {
                text += r.GetString(3) + "\n";
            }

            return text;
        }
    }

    [Fact]
    public async Task Reopen_SameFile_SeesEverythingAndDoesNotMigrateAgain()
    {
        var first = Open();
        await first.SaveFailureAsync(NewFailure());
        await first.AddToBlacklistAsync(new BlacklistEntry { StrategyName = "s", Operation = "op", Reason = "r", AddedAt = _time.GetUtcNow() });
        await first.DisposeAsync();

        var second = Open();

        Assert.Single(await second.GetFailuresAsync());
        Assert.True(await second.IsBlacklistedAsync("s", "op"));
        Assert.Equal(1L, Scalar(_db.File(), "SELECT version FROM steadfast_schema WHERE module = 'learning';"));
    }

    [Fact]
    public async Task NewerSchemaVersion_ThrowsIncompatibleNamingFileAndVersion()
    {
        await using (var first = new SqliteFailureStore(_db.File(), _time))
        {
            await first.SaveFailureAsync(NewFailure());
        }

        Scalar(_db.File(), "UPDATE steadfast_schema SET version = 99 WHERE module = 'learning';");

        var ex = await Assert.ThrowsAsync<StoreException>(async () => await Open().GetFailuresAsync());

        Assert.Equal(StoreFailure.Incompatible, ex.Failure);
        Assert.Contains(_db.File(), ex.Message, StringComparison.Ordinal);
        Assert.Contains("99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextFile_ThrowsForeignNamingFileAndWhatToDo()
    {
        await File.WriteAllTextAsync(_db.File(), "this is not a database, just some text that is long enough to look like a header................................................");

        var ex = await Assert.ThrowsAsync<StoreException>(async () => await Open().SaveFailureAsync(NewFailure()));

        Assert.Equal(StoreFailure.Foreign, ex.Failure);
        Assert.Equal(nameof(SqliteFailureStore), ex.StoreName);
        Assert.Equal(_db.File(), ex.Location);
        Assert.Contains(_db.File(), ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOnlyFile_ThrowsReadOnlyOnWrite()
    {
        await using (var store = new SqliteFailureStore(_db.File(), _time))
        {
            await store.SaveFailureAsync(NewFailure());
        }

        // Closing the last connection checkpointed the WAL, so the read-only file holds everything and no -wal/-shm can be written.
        Assert.True(_db.MakeReadOnly(_db.File()), "could not make the file read-only");

        var ex = await Assert.ThrowsAsync<StoreException>(async () => await Open().SaveFailureAsync(NewFailure()));

        Assert.Equal(StoreFailure.ReadOnly, ex.Failure);
        Assert.Contains(_db.File(), ex.Message, StringComparison.Ordinal);
        _db.MakeWritable(_db.File());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoStoresOnOneFile_WritingConcurrently_LoseNothing(bool separateWriters)
    {
        // The same settings share one writer; different settings (here the busy timeout) get a writer each, which SQLite's locks serialise.
        var a = Open();
        var b = Open(busyTimeout: separateWriters ? TimeSpan.FromSeconds(7) : null);
        await a.GetFailuresAsync(); // both race to migrate otherwise; covered by the next test

        var writers = new[] { a, b }.Select((store, n) => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await store.SaveFailuresAsync([.. Enumerable.Range(0, 50).Select(j => NewFailure($"op{n}", j))]);
                await store.MergeStrategyStatisticsAsync([new StrategyStatistics { StrategyName = "s", Operation = "op", Successes = 1 }]);
            }
        }));
        await Task.WhenAll(writers);

        var analytics = await a.GetFailureAnalyticsAsync();
        Assert.Equal(2000, analytics.TotalFailures);
        Assert.Equal(1000, analytics.ProblematicOperations.Single(o => o.Operation == "op1").FailureCount);
        Assert.Equal(40, Assert.Single(await b.GetStrategyStatisticsAsync()).Successes);
    }

    [Fact]
    public async Task TwoStoresOnNewFile_FirstUseAtOnce_MigrateOnce()
    {
        var stores = Enumerable.Range(0, 4).Select(i => Open(busyTimeout: TimeSpan.FromSeconds(5 + i))).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(async () => await s.SaveFailureAsync(NewFailure()))));

        Assert.Equal(4, (await stores[0].GetFailuresAsync()).Count);
        Assert.Equal(1L, Scalar(_db.File(), "SELECT count(*) FROM steadfast_schema WHERE module = 'learning';"));
    }

    [Fact]
    public async Task ChildProcess_WritingTheSameFile_BothWritesLand()
    {
        // A real second process (the sqlite3 shell) holds its own locks on the file while this process writes.
        var store = Open();
        await store.SaveFailureAsync(NewFailure());
        var sql = string.Concat(Enumerable.Range(0, 200).Select(i =>
            $"BEGIN IMMEDIATE; INSERT INTO failures (timestamp, operation, error_type, error_message, category) VALUES ({_time.GetUtcNow().ToUnixTimeMilliseconds()}, 'child', 'X', 'm', 0); " +
            $"INSERT INTO failure_rollup (day, operation, error_type, count) VALUES ({_time.GetUtcNow().ToUnixTimeMilliseconds() / 86400000}, 'child', 'X', 1) ON CONFLICT (day, operation, error_type) DO UPDATE SET count = count + 1; COMMIT;\n"));
        // scripts/test.sh installs the sqlite3 shell; without it this test must fail, not pass having tested nothing.
        var child = ChildSqlite.Start(_db.File(), sql)
            ?? throw new Xunit.Sdk.XunitException("The sqlite3 shell is not installed (scripts/test.sh installs it: apt-get install sqlite3).");

        for (var i = 0; i < 20; i++)
        {
            await store.SaveFailuresAsync([.. Enumerable.Range(0, 10).Select(j => NewFailure("parent", j))]);
        }

        await child.WaitForExitAsync();
        Assert.Equal(0, child.ExitCode);
        Assert.Equal(200, (await store.GetFailuresAsync(operation: "child", limit: 10_000)).Count);
        Assert.Equal(200, (await store.GetFailuresAsync(operation: "parent", limit: 10_000)).Count);
        Assert.Equal(401, (await store.GetFailureAnalyticsAsync()).TotalFailures);
    }
}

internal static class ChildSqlite
{
    public static System.Diagnostics.Process? Start(string path, string sql)
    {
        try
        {
            var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sqlite3", ["-cmd", ".timeout 5000", path])
            {
                RedirectStandardInput = true,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            p.StandardInput.Write(sql);
            p.StandardInput.Close();
            return p;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
