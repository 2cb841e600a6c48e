using System.Globalization;
using Steadfast;

// Usage:
//   workflow <sqlite|file> <store-path> <log-file> <workflow-id> <steps>
//       Runs (or resumes) a workflow of <steps> steps. Prints and logs "begin i" when step i starts running,
//       "committed i" when it completed in this run, "replayed i" when its stored result was reused, then "result <value>".
//   queue <db-file> <log-file> <workers> <lease-ms>
//       Processes the SQLite queue until it is empty. Logs "done <number>" for each handled item (poison items throw),
//       then prints "finished".
//   failures <db-file> <operation> <count>
//       Records <count> failures (strategy "child") and <count> successes (strategy "shared") of <operation> through a
//       persistent FailureAnalyzer, flushing every 50, so its transactions interleave with another process's; prints "finished".
//   redis-queue <connection> <key-prefix> <log-file> <workers> <lease-ms>
//       As "queue", on the RedisQueueStore "crash" of that server and prefix.
//   redis-circuit <connection> <key-prefix> <circuit> <open|watch>
//       open: opens the circuit (one failure, threshold 1) through a Redis-backed registry, prints "opened", waits for EOF.
//       watch: prints "ready" once it listens to the other machines, then "refused" when a call to the circuit is refused.
// Exit codes: 0 done, 1 failure, 2 usage.
return args.FirstOrDefault() switch
{
    "workflow" when args.Length == 6 => await RunWorkflowAsync(args[1], args[2], args[3], args[4], int.Parse(args[5], CultureInfo.InvariantCulture)),
    "queue" when args.Length == 5 => await RunQueueAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture),
        int.Parse(args[4], CultureInfo.InvariantCulture)),
    "redis-queue" when args.Length == 6 => await RedisModes.RunQueueAsync(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture),
        int.Parse(args[5], CultureInfo.InvariantCulture), Report),
    "redis-circuit" when args.Length == 5 => await RedisModes.RunCircuitAsync(args[1], args[2], args[3], args[4]),
    "failures" when args.Length == 4 => await RecordFailuresAsync(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: workflow <sqlite|file> <store-path> <log-file> <workflow-id> <steps> | queue <db-file> <log-file> <workers> <lease-ms> | failures <db-file> <operation> <count>");
    return 2;
}

static async Task<int> RecordFailuresAsync(string path, string operation, int count)
{
    await using (var analyzer = new FailureAnalyzer(new FailureAnalyzerOptions { EnableAutomaticBlacklist = false }, enablePersistence: true, dbPath: path))
    {
        for (var i = 0; i < count; i++)
        {
            analyzer.RecordFailure(new TimeoutException($"child failure {i}"), operation, strategy: "child");
            analyzer.RecordSuccess(operation, "shared");
            if (i % 50 == 49)
            {
                await analyzer.FlushAsync();
            }
        }

        if (!analyzer.PersistenceHealthy)
        {
            Console.Error.WriteLine("store unhealthy");
            return 1;
        }
    }

    Console.Out.WriteLine("finished");
    return 0;
}

static void Report(string log, string line)
{
    lock (LogLock.Instance) // concurrent appenders through separate handles would overwrite each other's lines
    {
        File.AppendAllText(log, line + "\n"); // reaches the OS before the next instruction: survives SIGKILL
        Console.Out.WriteLine(line);
        Console.Out.Flush();
        if (Lockstep.Enabled)
        {
            // The test answers "go" when it does not want to kill us here; EOF (null) also lets us go on.
            _ = Console.In.ReadLine();
        }
    }
}

static async Task<int> RunWorkflowAsync(string kind, string path, string log, string workflowId, int steps)
{
    ICheckpointStore store = kind == "file" ? new FileCheckpointStore(path) : new SqliteCheckpointStore(path);
    var runner = new WorkflowRunner(store);
    var result = await runner.RunAsync(workflowId, steps, async (ctx, count, ct) =>
    {
        var value = "seed";
        for (var i = 0; i < count; i++)
        {
            var index = i;
            var previous = value;
            var replayedBefore = ctx.StepsReplayed;
            value = await ctx.StepAsync("step", async c =>
            {
                Report(log, $"begin {index}");
                await Task.Delay(1 + (index % 3), c); // room for the kill to land inside a step
                return Mix(previous, index);
            });
            Report(log, ctx.StepsReplayed > replayedBefore ? $"replayed {index}" : $"committed {index}");
        }

        return value;
    }, new WorkflowRunOptions { ResumeFromCheckpoint = true });

    if (!result.Success)
    {
        Console.Error.WriteLine(result.Error);
        return 1;
    }

    Report(log, "result " + result.Value);
    return 0;
}

static string Mix(string previous, int index)
    => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{previous}:{index}")))[..16];

static async Task<int> RunQueueAsync(string path, string log, int workers, int leaseMs)
{
    await using var store = new SqliteQueueStore(path);
    return await QueueWork.RunAsync(store, log, workers, leaseMs, Report);
}

internal static class LogLock
{
    public static readonly Lock Instance = new();
}

/// <summary>The item of the queue crash test (the test enqueues the same JSON shape).</summary>
internal sealed record CrashJob(int Number, bool Poison);

/// <summary>Whether the test drives this host line by line (STEADFAST_CRASHHOST_LOCKSTEP=1), for exact kill points.</summary>
internal static class Lockstep
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("STEADFAST_CRASHHOST_LOCKSTEP") == "1";
}
