using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Steadfast.Tests.Sqlite;

/// <summary>
/// <see cref="SqliteStoreOptions.ReadOnly"/>: reading never writes. Every case takes a checksum of the whole directory
/// before and after (the file's bytes, and no -wal, -shm or journal left behind), on both sides of each rule.
/// </summary>
public sealed class SqliteReadOnlyTests : IDisposable
{
    private const long SteadfastApplicationId = 0x53544446;
    private static readonly DateTimeOffset At = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task SteadfastFile_ReadEverything_ReadsItsDataAndLeavesTheDirectoryByteIdentical()
    {
        var path = _db.File("steadfast.db");
        await SeedAsync(path);
        var before = Snapshot();

        await using (var failures = ReadOnlyFailures(path))
        await using (var circuits = ReadOnlyCircuits(path))
        {
            Assert.Equal("timed out", Assert.Single(await failures.GetFailuresAsync()).ErrorMessage);
            Assert.Equal(1, (await failures.GetFailureAnalyticsAsync()).TotalFailures);
            Assert.Single(await failures.GetBlacklistAsync(includeExpired: true));
            Assert.Equal("svc", Assert.Single(await circuits.LoadAllAsync()).Name);
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task SteadfastFile_ReadWhileAWriterHasItOpen_SeesCommittedData()
    {
        var path = _db.File("live.db");
        await using var writer = new SqliteFailureStore(path);
        await writer.SaveFailureAsync(NewFailure());

        await using var reader = ReadOnlyFailures(path);

        Assert.Single(await reader.GetFailuresAsync());
        await writer.SaveFailureAsync(NewFailure());
        Assert.Equal(2, (await reader.GetFailuresAsync()).Count);
    }

    [Fact]
    public async Task MissingFile_ThrowsMissingAndCreatesNothing()
    {
        var path = Path.Combine(_db.Directory, "no-such-folder", "steadfast.db");
        var before = Snapshot();

        await using var store = ReadOnlyFailures(path);
        var ex = await Assert.ThrowsAsync<StoreException>(async () => await store.GetFailuresAsync());

        Assert.Equal(StoreFailure.Missing, ex.Failure);
        Assert.Contains("no such file", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task ZeroByteFile_ThrowsMissingAndStaysEmpty()
    {
        var path = _db.File("empty.db");
        await File.WriteAllBytesAsync(path, []);
        var before = Snapshot();

        await using var store = ReadOnlyCircuits(path);
        var ex = await Assert.ThrowsAsync<StoreException>(async () => await store.LoadAllAsync());

        Assert.Equal(StoreFailure.Missing, ex.Failure);
        Assert.Contains("the file is empty", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(path).Length);
        Assert.Equal(before, Snapshot());
    }

    public static TheoryData<string> ForeignFiles => ["other-app", "other-app-wal", "own-failures-table", "text", "random", "marked-by-another-app"];

    [Theory]
    [MemberData(nameof(ForeignFiles))]
    public async Task ForeignFile_ThrowsForeignAndLeavesEveryByte(string kind)
    {
        var path = _db.File("app.db");
        CreateForeign(kind, path);
        var before = Snapshot();

        await using var failures = ReadOnlyFailures(path);
        await using var circuits = ReadOnlyCircuits(path);
        var read = await Assert.ThrowsAsync<StoreException>(async () => await failures.GetFailureAnalyticsAsync());
        var circuit = await Assert.ThrowsAsync<StoreException>(async () => await circuits.LoadAllAsync());

        Assert.All([read, circuit], ex => Assert.Equal(StoreFailure.Foreign, ex.Failure));
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task CorruptSteadfastFile_ThrowsCorruptAndLeavesIt()
    {
        var path = _db.File("corrupt.db");
        await SeedAsync(path);
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Position = 100; // past the header: the first page's content, where the table definitions live
            await stream.WriteAsync(RandomNumberGenerator.GetBytes(1000));
        }

        var before = Snapshot();

        await using var store = ReadOnlyFailures(path);
        var ex = await Assert.ThrowsAsync<StoreException>(async () => await store.GetFailuresAsync());

        Assert.Equal(StoreFailure.Corrupt, ex.Failure);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task NewerSteadfastFile_ThrowsIncompatibleAndLeavesIt()
    {
        var path = _db.File("newer.db");
        Execute(path, $"PRAGMA application_id = {SteadfastApplicationId}; PRAGMA user_version = 2; CREATE TABLE future (x);");
        var before = Snapshot();

        await using var store = ReadOnlyFailures(path);
        var ex = await Assert.ThrowsAsync<StoreException>(async () => await store.GetFailuresAsync());

        Assert.Equal(StoreFailure.Incompatible, ex.Failure);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task OlderModuleVersion_ThrowsOutdatedAndLeavesIt_AWritableStoreUpgradesIt()
    {
        var path = _db.File("older.db");
        Execute(path, $"""
            PRAGMA application_id = {SteadfastApplicationId}; PRAGMA user_version = 1;
            CREATE TABLE steadfast_schema (module TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL);
            INSERT INTO steadfast_schema VALUES ('learning', 0);
            """);
        var before = Snapshot();

        await using (var readOnly = ReadOnlyFailures(path))
        {
            var ex = await Assert.ThrowsAsync<StoreException>(async () => await readOnly.GetFailuresAsync());
            Assert.Equal(StoreFailure.Outdated, ex.Failure);
            Assert.Contains("writable store", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, Snapshot());

        await using (var writable = new SqliteFailureStore(path))
        {
            await writable.GetFailuresAsync(); // the first use migrates
        }

        await using var again = ReadOnlyFailures(path);
        Assert.Empty(await again.GetFailuresAsync());
    }

    [Fact]
    public async Task FileOfTheFirstReleases_IsReadAsItIsWithoutBeingMarked()
    {
        var path = _db.File("legacy.db");
        Execute(path, """
            CREATE TABLE schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
            INSERT INTO schema_version VALUES (1, 1);
            CREATE TABLE circuit_snapshots (name TEXT NOT NULL PRIMARY KEY, state INTEGER NOT NULL, consecutive_failures INTEGER NOT NULL,
                opened_at INTEGER NULL, open_until INTEGER NULL, consecutive_openings INTEGER NOT NULL, last_failure_at INTEGER NULL,
                last_error TEXT NULL, saved_at INTEGER NOT NULL) WITHOUT ROWID;
            INSERT INTO circuit_snapshots VALUES ('old-circuit', 1, 5, NULL, NULL, 1, NULL, NULL, 1767000000000);
            """);
        var before = Snapshot();

        await using (var circuits = ReadOnlyCircuits(path))
        await using (var failures = ReadOnlyFailures(path))
        {
            Assert.Equal("old-circuit", Assert.Single(await circuits.LoadAllAsync()).Name);
            Assert.Empty(await failures.GetFailuresAsync()); // its learning tables were never created: read as empty
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task ModuleNotInTheFile_ReadsAsEmptyAndAddsNoTable()
    {
        var path = _db.File("learning-only.db");
        await using (var writable = new SqliteFailureStore(path))
        {
            await writable.SaveFailureAsync(NewFailure());
        }

        SqliteConnection.ClearAllPools();
        var before = Snapshot();

        await using (var circuits = ReadOnlyCircuits(path))
        {
            Assert.Empty(await circuits.LoadAllAsync());
            Assert.Null(await circuits.LoadAsync("svc"));
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Writes_ThroughAReadOnlyStore_ThrowReadOnlyAndChangeNothing()
    {
        var path = _db.File("steadfast.db");
        await SeedAsync(path);
        var before = Snapshot();

        await using (var failures = ReadOnlyFailures(path))
        await using (var circuits = ReadOnlyCircuits(path))
        {
            var save = await Assert.ThrowsAsync<StoreException>(async () => await failures.SaveFailureAsync(NewFailure()));
            var cleanup = await Assert.ThrowsAsync<StoreException>(async () => await failures.CleanupOldFailuresAsync(1));
            var reset = await Assert.ThrowsAsync<StoreException>(async () => await circuits.SaveAsync(new CircuitBreakerSnapshot { Name = "svc", State = CircuitState.Closed, SavedAt = At }));

            Assert.All([save, cleanup, reset], ex => Assert.Equal(StoreFailure.ReadOnly, ex.Failure));
            Assert.Contains("SqliteStoreOptions.ReadOnly", save.Message, StringComparison.Ordinal);
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task WritableStore_SameOptionsWithoutReadOnly_StillCreatesTheFile()
    {
        var path = _db.File("new.db");

        await using (var store = new SqliteFailureStore(new SqliteStoreOptions { Path = path, ReadOnly = false }))
        {
            await store.SaveFailureAsync(NewFailure());
        }

        Assert.True(File.Exists(path));
    }

    private static SqliteFailureStore ReadOnlyFailures(string path) => new(new SqliteStoreOptions { Path = path, ReadOnly = true });

    private static SqliteCircuitStateStore ReadOnlyCircuits(string path) => new(new SqliteStoreOptions { Path = path, ReadOnly = true });

    private static async Task SeedAsync(string path)
    {
        await using (var failures = new SqliteFailureStore(path))
        await using (var circuits = new SqliteCircuitStateStore(path))
        {
            await failures.SaveFailureAsync(NewFailure());
            await failures.AddToBlacklistAsync(new BlacklistEntry { StrategyName = "s", Operation = "op", Reason = "r", AddedAt = At });
            await circuits.SaveAsync(new CircuitBreakerSnapshot { Name = "svc", State = CircuitState.Open, OpenedAt = At, OpenUntil = At.AddMinutes(1), SavedAt = At });
        }

        SqliteConnection.ClearAllPools();
    }

    private static Failure NewFailure() => new() { Timestamp = At, Operation = "op", ErrorType = "TimeoutException", ErrorMessage = "timed out" };

    private static void CreateForeign(string kind, string path) => ForeignFile.Create(kind, path);

    private string Snapshot() => ForeignFile.Snapshot(_db.Directory);

    private static void Execute(string path, string sql) => ForeignFile.Execute(path, sql);
}
