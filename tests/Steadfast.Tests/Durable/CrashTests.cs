using System.Diagnostics;
using System.Globalization;

namespace Steadfast.Tests.Durable;

/// <summary>
/// Real crashes: a child process (tests/Steadfast.CrashHost) runs a workflow or a queue worker and is killed with
/// SIGKILL at points chosen from its own progress reports (handshakes on stdout, never timers); then it is restarted.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public sealed record CrashJob(int Number, bool Poison);

    [Theory]
    [InlineData("sqlite", 1)]
    [InlineData("file", 2)]
    public async Task Workflow_KilledAtRandomPoints_ResumesToSameResultWithoutRerunningCompletedSteps(string kind, int seed)
    {
        const int Steps = 24;
        var storePath = kind == "file" ? _temp.File("checkpoints") : _temp.File("checkpoints.db");
        var log = _temp.File("workflow.log");
        var random = new Random(seed);

        // The reference: the same workflow, uninterrupted, under another id.
        var reference = await RunToEndAsync("workflow", kind, storePath, _temp.File("reference.log"), "reference", Steps.ToString(CultureInfo.InvariantCulture));

        var kills = 0;
        string? result = null;
        for (var run = 0; run < 40 && result is null; run++)
        {
            var killAfter = random.Next(1, 9); // begin/committed lines of this run before the kill
            // Lockstep: the child waits for "go" after each line, so the kill lands exactly after the chosen line
            // however busy the machine is (a free-running child could finish steps between our read and the kill).
            using var child = Start(lockstep: true, "workflow", kind, storePath, log, "crashy", Steps.ToString(CultureInfo.InvariantCulture));
            var seen = 0;
            while (await ReadLineAsync(child) is { } line)
            {
                if (line.StartsWith("result ", StringComparison.Ordinal))
                {
                    result = line["result ".Length..];
                    break;
                }

                if ((line.StartsWith("begin ", StringComparison.Ordinal) || line.StartsWith("committed ", StringComparison.Ordinal))
                    && ++seen == killAfter && kills < 10)
                {
                    child.Kill(); // SIGKILL
                    await child.WaitForExitAsync();
                    kills++;
                    // Note which steps are durable now: none of them may ever begin again.
                    var durable = await DurableStepsAsync(kind, storePath, "crashy");
                    await File.AppendAllTextAsync(log, "killed " + string.Join(',', durable) + "\n");
                    break;
                }

                await child.StandardInput.WriteLineAsync("go");
                await child.StandardInput.FlushAsync();
            }

            child.StandardInput.Close(); // end of input lets a child waiting after its last line finish
            await child.WaitForExitAsync();
        }

        Assert.True(kills >= 5, $"only {kills} kills happened");
        Assert.Equal(reference, result);
        AssertNoDurableStepRanAgain(await File.ReadAllLinesAsync(log), Steps);
    }

    [Fact]
    public async Task Queue_WorkerKilledMidwayAndRestarted_NothingLostPoisonDeadLettered()
    {
        const int Items = 1000;
        var db = _temp.File("queue.db");
        var log = _temp.File("queue.log");
        var poison = Enumerable.Range(0, Items).Where(i => i % 97 == 13).ToHashSet();
        await using (var store = new SqliteQueueStore(db))
        {
            var queue = new DurableQueue<CrashJob>(store, new DurableQueueOptions { MaxSize = 10_000 });
            for (var i = 0; i < Items; i++)
            {
                await queue.EnqueueAsync(new CrashJob(i, poison.Contains(i)), priority: i % 4);
            }
        }

        // First worker: killed once it reported 300 handled items.
        int doneBeforeKill;
        using (var child = Start("queue", db, log, "4", "1000"))
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
            doneBeforeKill = File.ReadAllLines(log).Count(l => l.StartsWith("done ", StringComparison.Ordinal));
        }

        Assert.InRange(doneBeforeKill, 300, Items - poison.Count - 1);

        // Second worker: waits out the dead worker's leases, then finishes the queue.
        Assert.Equal("finished", await RunToEndAsync("queue", db, log, "4", "1000"));

        var handled = File.ReadAllLines(log).Where(l => l.StartsWith("done ", StringComparison.Ordinal))
            .Select(l => int.Parse(l["done ".Length..], CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal(Enumerable.Range(0, Items).Where(i => !poison.Contains(i)), handled.Order());
        await using (var store = new SqliteQueueStore(db))
        {
            var queue = new DurableQueue<CrashJob>(store);
            var stats = await queue.GetStatsAsync();
            Assert.Equal(new QueueStats(0, 0, Items - poison.Count, poison.Count), stats);
            var dead = await queue.GetDeadLettersAsync();
            Assert.Equal(poison.Order(), dead.Select(d => d.Item.Number).Order());
            Assert.All(dead, d => Assert.Contains("poison item " + d.Item.Number, d.LastError, StringComparison.Ordinal));
        }
    }

    private static void AssertNoDurableStepRanAgain(string[] lines, int steps)
    {
        var durable = new HashSet<int>();
        var committed = new HashSet<int>();
        foreach (var line in lines)
        {
            var parts = line.Split(' ', 2);
            switch (parts[0])
            {
                case "killed":
                    durable.UnionWith(parts.Length > 1 && parts[1].Length > 0
                        ? parts[1].Split(',').Select(k => int.Parse(k, CultureInfo.InvariantCulture))
                        : []);
                    break;
                case "begin":
                    var step = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    Assert.False(durable.Contains(step) || committed.Contains(step), $"step {step} ran again after it completed");
                    break;
                case "committed":
                    committed.Add(int.Parse(parts[1], CultureInfo.InvariantCulture));
                    break;
            }
        }

        Assert.Equal(Enumerable.Range(0, steps), committed.Order());
    }

    private static async Task<IReadOnlyList<int>> DurableStepsAsync(string kind, string storePath, string workflowId)
    {
        var store = kind == "file" ? (ICheckpointStore)new FileCheckpointStore(storePath) : new SqliteCheckpointStore(storePath);
        try
        {
            var steps = await store.GetStepsAsync(workflowId);
            return [.. steps.Select(s => int.Parse(s.Key[(s.Key.IndexOf('#', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture)).Order()];
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    /// <summary>Runs the child to its end and returns the text after the last line's first word ("result x" gives "x", "finished" gives "finished").</summary>
    private static async Task<string> RunToEndAsync(params string[] args)
    {
        using var child = Start(args);
        string? last = null;
        while (await ReadLineAsync(child) is { } line)
        {
            last = line;
        }

        await child.WaitForExitAsync();
        Assert.True(child.ExitCode == 0, $"child failed ({child.ExitCode}): {await child.StandardError.ReadToEndAsync()}");
        Assert.NotNull(last);
        return last.StartsWith("result ", StringComparison.Ordinal) ? last["result ".Length..] : last;
    }

    private static Task<string?> ReadLineAsync(Process child) => CrashHostProcess.ReadLineAsync(child, ChildTimeout);

    internal static Process Start(params string[] args) => Start(lockstep: false, args);

    // Lockstep: the crash host reads its input between steps (STEADFAST_CRASHHOST_LOCKSTEP), so the test picks the kill point.
    private static Process Start(bool lockstep, params string[] args)
        => CrashHostProcess.Start(lockstep, lockstep ? new Dictionary<string, string> { ["STEADFAST_CRASHHOST_LOCKSTEP"] = "1" } : null, args);
}
