using System.Diagnostics;
using System.Globalization;

namespace Steadfast.Redis.Tests;

/// <summary>
/// Two real processes (tests/Steadfast.CrashHost) share one Redis: a circuit one opens stops the other's calls, and a queue
/// worker killed with SIGKILL mid-batch loses nothing. Kill points come from the child's own progress reports, never timers.
/// </summary>
public sealed class RedisCrashTests : IDisposable
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(60); // a hang guard, not a timing assertion
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public sealed record CrashJob(int Number, bool Poison);

    [Fact]
    public async Task Circuit_OpenedByOneProcess_RefusesTheOthersCalls()
    {
        var prefix = RedisTestServer.NewOptions().KeyPrefix;
        using var watcher = Start("redis-circuit", RedisTestServer.Configuration(), prefix, "provider_x", "watch");
        Assert.Equal("ready", await ReadLineAsync(watcher));

        using var opener = Start("redis-circuit", RedisTestServer.Configuration(), prefix, "provider_x", "open");
        Assert.Equal("opened", await ReadLineAsync(opener));

        Assert.Equal("refused", await ReadLineAsync(watcher));
        await watcher.WaitForExitAsync();
        Assert.Equal(0, watcher.ExitCode);
        opener.StandardInput.Close();
        await opener.WaitForExitAsync();
    }

    [Fact]
    public async Task Queue_WorkerKilledMidBatchAndRestarted_NothingLostPoisonDeadLetteredOnce()
    {
        const int Items = 1000;
        var options = RedisTestServer.NewOptions();
        var log = _temp.File("queue.log");
        var poison = new HashSet<int> { 7, 123, 500, 999 };
        await using (var store = new RedisQueueStore(await RedisTestServer.ConnectionAsync(), "crash", options))
        {
            var queue = new DurableQueue<CrashJob>(store, new DurableQueueOptions { MaxSize = 10_000 });
            for (var i = 0; i < Items; i++)
            {
                await queue.EnqueueAsync(new CrashJob(i, poison.Contains(i)), priority: i % 4);
            }
        }

        // First worker: killed (SIGKILL) once it reported 300 handled items, with leases of its batch still held.
        using (var child = Start("redis-queue", RedisTestServer.Configuration(), options.KeyPrefix, log, "4", "1000"))
        {
            var done = 0;
            while (await ReadLineAsync(child) is { } line)
            {
                Assert.NotEqual("finished", line);
                if (line.StartsWith("done ", StringComparison.Ordinal) && ++done == 300)
                {
                    child.Kill();
                    break;
                }
            }

            await child.WaitForExitAsync();
        }

        // Second worker: waits out the dead worker's leases, then finishes the queue.
        using (var child = Start("redis-queue", RedisTestServer.Configuration(), options.KeyPrefix, log, "4", "1000"))
        {
            string? last = null;
            while (await ReadLineAsync(child) is { } line)
            {
                last = line;
            }

            await child.WaitForExitAsync();
            Assert.True(child.ExitCode == 0, await child.StandardError.ReadToEndAsync());
            Assert.Equal("finished", last);
        }

        var handled = File.ReadAllLines(log).Where(l => l.StartsWith("done ", StringComparison.Ordinal))
            .Select(l => int.Parse(l["done ".Length..], CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal(Enumerable.Range(0, Items).Where(i => !poison.Contains(i)), handled.Order());
        await using (var store = new RedisQueueStore(await RedisTestServer.ConnectionAsync(), "crash", options))
        {
            var queue = new DurableQueue<CrashJob>(store);
            Assert.Equal(new QueueStats(0, 0, Items - poison.Count, poison.Count), await queue.GetStatsAsync());
            var dead = await queue.GetDeadLettersAsync();
            Assert.Equal(poison.Order(), dead.Select(d => d.Item.Number).Order());
            Assert.All(dead, d => Assert.Contains("poison item " + d.Item.Number, d.LastError, StringComparison.Ordinal));
        }
    }

    private static Task<string?> ReadLineAsync(Process child) => CrashHostProcess.ReadLineAsync(child, ChildTimeout);

    private static Process Start(params string[] args) => CrashHostProcess.Start(redirectInput: true, null, args);
}
