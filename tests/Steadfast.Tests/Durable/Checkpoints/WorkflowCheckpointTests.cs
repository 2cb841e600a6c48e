using Microsoft.Data.Sqlite;
using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.Durable.Checkpoints;

public sealed class WorkflowCheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    // Reports the auto-checkpoint loop's timers (the loop starts on the thread pool), so time moves only once it waits.
    private readonly TestClock _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    public sealed record State(int Step, string Note);

    [Fact]
    public async Task LoadAsync_NothingSaved_ReturnsNull()
    {
        var checkpoint = new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w");

        Assert.Null(await checkpoint.LoadAsync());
    }

    [Fact]
    public async Task SaveAsync_ThenLoad_ReturnsNewestState()
    {
        var checkpoint = new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w", timeProvider: _time);
        await checkpoint.SaveAsync(new State(1, "one"));
        _time.Advance(TimeSpan.FromSeconds(5));

        var info = await checkpoint.SaveAsync(new State(2, "two"));

        Assert.Equal(new State(2, "two"), await checkpoint.LoadAsync());
        Assert.Equal(2, info.Sequence);
        Assert.Equal(_time.GetUtcNow(), info.CreatedAt);
        Assert.Equal(64, info.Checksum.Length);
        Assert.Equal(1, info.FormatVersion);
    }

    [Fact]
    public async Task SaveAsync_BeyondMaxCheckpoints_KeepsNewest()
    {
        var checkpoint = new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w", new CheckpointOptions { MaxCheckpoints = 2 });
        for (var i = 1; i <= 5; i++)
        {
            await checkpoint.SaveAsync(new State(i, "s"));
        }

        Assert.Equal([5L, 4L], (await checkpoint.ListAsync()).Select(i => i.Sequence));
    }

    [Fact]
    public async Task SaveAsync_ManySavesInSqliteAcrossWalCheckpoints_ReopenedStoreKeepsNewestAndPrunes()
    {
        // several hundred commits: the WAL is checkpointed in the background while saves go on, and on Dispose
        var path = _temp.File("many.db");
        var options = new CheckpointOptions { MaxCheckpoints = 3 };
        await using (var store = new SqliteCheckpointStore(path))
        {
            var checkpoint = new WorkflowCheckpoint<State>(store, "w", options);
            for (var i = 1; i <= 600; i++)
            {
                await checkpoint.SaveAsync(new State(i, new string('x', 2000)));
            }
        }

        await using var reopened = new SqliteCheckpointStore(path);
        var again = new WorkflowCheckpoint<State>(reopened, "w", options);
        Assert.Equal(600, (await again.LoadAsync())!.Step);
        Assert.Equal([600L, 599L, 598L], (await again.ListAsync()).Select(i => i.Sequence));
    }

    [Fact]
    public async Task LoadAsync_NewestCorruptInSqlite_SkipsToPrevious()
    {
        var path = _temp.File("c.db");
        await using var store = new SqliteCheckpointStore(path);
        var checkpoint = new WorkflowCheckpoint<State>(store, "w");
        await checkpoint.SaveAsync(new State(1, "good"));
        await checkpoint.SaveAsync(new State(2, "will be corrupted"));

        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE steadfast_checkpoints SET data = CAST('{\"Step\":9,\"Note\":\"tampered\"}' AS BLOB) WHERE sequence = 2;";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        Assert.Equal(new State(1, "good"), await checkpoint.LoadAsync());
    }

    [Fact]
    public async Task LoadAsync_NewestCorruptFile_SkipsToPrevious()
    {
        var store = new FileCheckpointStore(_temp.File("files"));
        var checkpoint = new WorkflowCheckpoint<State>(store, "w");
        await checkpoint.SaveAsync(new State(1, "good"));
        await checkpoint.SaveAsync(new State(2, "will be corrupted"));
        var newest = Directory.GetFiles(_temp.Path, "*.ckpt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Last();
        var bytes = File.ReadAllBytes(newest);
        bytes[^3] ^= 0x55; // flip bits in the state
        File.WriteAllBytes(newest, bytes);

        Assert.Equal(new State(1, "good"), await checkpoint.LoadAsync());
    }

    [Fact]
    public async Task LoadAsync_FileHeaderGarbage_SkipsToPrevious()
    {
        var store = new FileCheckpointStore(_temp.File("files"));
        var checkpoint = new WorkflowCheckpoint<State>(store, "w");
        await checkpoint.SaveAsync(new State(1, "good"));
        await checkpoint.SaveAsync(new State(2, "bad"));
        var newest = Directory.GetFiles(_temp.Path, "*.ckpt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Last();
        File.WriteAllBytes(newest, [0xFF, 0x00, 0x13]);

        Assert.Equal(new State(1, "good"), await checkpoint.LoadAsync());
    }

    [Fact]
    public async Task LoadAsync_AllCorrupt_ReturnsNull()
    {
        var store = new InMemoryCheckpointStore();
        await store.AppendCheckpointAsync(new CheckpointRecord("w", 0, DateTimeOffset.UnixEpoch, 1, "not-the-checksum", "{}"u8.ToArray()), 10);

        Assert.Null(await new WorkflowCheckpoint<State>(store, "w").LoadAsync());
    }

    [Fact]
    public async Task LoadAsync_UnknownFormatVersion_Skipped()
    {
        var store = new InMemoryCheckpointStore();
        var checkpoint = new WorkflowCheckpoint<State>(store, "w");
        await checkpoint.SaveAsync(new State(1, "v1"));
        var data = "{\"Step\":2,\"Note\":\"v99\"}"u8.ToArray();
        await store.AppendCheckpointAsync(new CheckpointRecord("w", 0, DateTimeOffset.UnixEpoch, 99, DurableCodec.Checksum(data), data), 10);

        Assert.Equal(new State(1, "v1"), await checkpoint.LoadAsync());
    }

    [Fact]
    public async Task SaveAsync_OverMaxSize_ThrowsTypedErrorAndKeepsPrevious()
    {
        var checkpoint = new WorkflowCheckpoint<State>(new SqliteCheckpointStore(_temp.File("c.db")), "w",
            new CheckpointOptions { MaxSizeBytes = 1000, WarnSizeBytes = 100 });
        await checkpoint.SaveAsync(new State(1, "small"));

        var ex = await Assert.ThrowsAsync<CheckpointTooLargeException>(() => checkpoint.SaveAsync(new State(2, new string('x', 2000))));

        Assert.Equal("w", ex.WorkflowId);
        Assert.Equal(1000, ex.MaxSizeBytes);
        Assert.True(ex.SizeBytes > 2000);
        Assert.Contains("MaxSizeBytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new State(1, "small"), await checkpoint.LoadAsync());
        Assert.Single(await checkpoint.ListAsync());
    }

    [Fact]
    public async Task SaveAsync_DefaultLimit_Refuses17MbButSavesBelowWarnLevel()
    {
        var checkpoint = new WorkflowCheckpoint<string>(new InMemoryCheckpointStore(), "w");

        await Assert.ThrowsAsync<CheckpointTooLargeException>(() => checkpoint.SaveAsync(new string('x', 17 << 20)));
        var info = await checkpoint.SaveAsync(new string('x', 2 << 20)); // over the 1 MB warning level: saved anyway

        Assert.True(info.SizeBytes > 1 << 20);
    }

    [Fact]
    public async Task StartAutoCheckpoint_EachInterval_Saves()
    {
        var checkpoint = new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w",
            new CheckpointOptions { AutoCheckpointInterval = TimeSpan.FromSeconds(60) }, _time);
        var saved = new TaskCompletionSource<CheckpointInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        checkpoint.AutoSaved = info => saved.TrySetResult(info);
        var step = 7;
        checkpoint.StartAutoCheckpoint(() => new State(step, "auto"));

        await _time.DriveAsync(saved.Task, TimeSpan.FromSeconds(60));

        Assert.Equal(1, (await saved.Task).Sequence);
        Assert.Equal(new State(7, "auto"), await checkpoint.LoadAsync());
        await checkpoint.StopAutoCheckpointAsync();
    }

    [Fact]
    public async Task StartAutoCheckpoint_BeforeInterval_DoesNotSave()
    {
        var store = new InMemoryCheckpointStore();
        var checkpoint = new WorkflowCheckpoint<State>(store, "w", new CheckpointOptions { AutoCheckpointInterval = TimeSpan.FromSeconds(60) }, _time);
        checkpoint.StartAutoCheckpoint(() => new State(1, "auto"));

        await _time.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(59));

        Assert.Empty(await checkpoint.ListAsync());
        await checkpoint.StopAutoCheckpointAsync();
    }

    [Fact]
    public async Task StopAutoCheckpointAsync_Running_SavesOnceMoreAndStops()
    {
        var checkpoint = new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w", timeProvider: _time);
        var step = 1;
        checkpoint.StartAutoCheckpoint(() => new State(step, "auto"));
        step = 42;

        var final = await checkpoint.StopAutoCheckpointAsync();

        Assert.NotNull(final);
        Assert.Equal(new State(42, "auto"), await checkpoint.LoadAsync());
        Assert.False(checkpoint.IsAutoCheckpointRunning);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Single(await checkpoint.ListAsync());
        Assert.Null(await checkpoint.StopAutoCheckpointAsync());
    }

    [Fact]
    public async Task StartAutoCheckpoint_Twice_Throws()
    {
        await using var checkpoint = new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w", timeProvider: _time);
        checkpoint.StartAutoCheckpoint(() => new State(1, "a"));

        Assert.Throws<InvalidOperationException>(() => checkpoint.StartAutoCheckpoint(() => new State(2, "b")));
    }

    [Fact]
    public async Task StartAutoCheckpoint_GetStateThrows_LoopKeepsGoing()
    {
        var checkpoint = new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w", timeProvider: _time);
        var saved = new TaskCompletionSource<CheckpointInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        checkpoint.AutoSaved = info => saved.TrySetResult(info);
        var calls = 0;
        checkpoint.StartAutoCheckpoint(() => ++calls == 1 ? throw new InvalidOperationException("not ready") : new State(calls, "ok"));

        await _time.DriveAsync(saved.Task, TimeSpan.FromSeconds(60));

        Assert.True(calls >= 2);
        await checkpoint.StopAutoCheckpointAsync();
    }

    [Fact]
    public async Task DisposeAsync_Running_SavesOnceMore()
    {
        var store = new InMemoryCheckpointStore();
        var checkpoint = new WorkflowCheckpoint<State>(store, "w", timeProvider: _time);
        checkpoint.StartAutoCheckpoint(() => new State(3, "last"));

        await checkpoint.DisposeAsync();
        await checkpoint.DisposeAsync();

        Assert.Single(await store.ListCheckpointsAsync("w"));
    }

    [Fact]
    public async Task Constructor_OptionsChangedAfterwards_CheckpointKeepsItsCopy()
    {
        var options = new CheckpointOptions { MaxCheckpoints = 2 };
        var checkpoint = new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w", options);
        options.MaxCheckpoints = 100;

        for (var i = 0; i < 4; i++)
        {
            await checkpoint.SaveAsync(new State(i, "x"));
        }

        Assert.Equal(2, (await checkpoint.ListAsync()).Count);
    }

    [Theory]
    [InlineData(0, "CheckpointOptions.MaxCheckpoints must be between 1 and 10000; was 0.")]
    [InlineData(10_001, "CheckpointOptions.MaxCheckpoints must be between 1 and 10000; was 10001.")]
    public void Constructor_InvalidMaxCheckpoints_Throws(int value, string message)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w", new CheckpointOptions { MaxCheckpoints = value }));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidInterval_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w",
            new CheckpointOptions { AutoCheckpointInterval = TimeSpan.Zero }));

        Assert.Contains("CheckpointOptions.AutoCheckpointInterval", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_WarnAboveMax_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w",
            new CheckpointOptions { MaxSizeBytes = 10, WarnSizeBytes = 11 }));

        Assert.StartsWith("CheckpointOptions.WarnSizeBytes must be between 1 and 10; was 11.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MaxSizeZero_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w",
            new CheckpointOptions { MaxSizeBytes = 0 }));

        Assert.Contains("CheckpointOptions.MaxSizeBytes", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_BlankId_Throws(string id)
        => Assert.Throws<ArgumentException>(() => new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), id));

    [Fact]
    public async Task ClearAsync_Saved_DeletesAll()
    {
        var checkpoint = new WorkflowCheckpoint<State>(new InMemoryCheckpointStore(), "w");
        await checkpoint.SaveAsync(new State(1, "a"));

        Assert.Equal(1, await checkpoint.ClearAsync());
        Assert.Null(await checkpoint.LoadAsync());
    }
}
