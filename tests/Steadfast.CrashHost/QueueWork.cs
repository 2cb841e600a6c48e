using Steadfast;

/// <summary>The queue worker both queue modes run (SQLite and Redis): a few ms per item, poison items throw, each item done is reported.</summary>
internal static class QueueWork
{
    public static async Task<int> RunAsync(IQueueStore store, string log, int workers, int leaseMs, Action<string, string> report)
    {
        var queue = new DurableQueue<CrashJob>(store, new DurableQueueOptions
        {
            MaxSize = 100_000,
            MaxDeliveryAttempts = 3,
            LeaseDuration = TimeSpan.FromMilliseconds(leaseMs),
            PollInterval = TimeSpan.FromMilliseconds(50),
        });
        await queue.ProcessAsync(async (job, ct) =>
        {
            await Task.Delay(2, ct);
            if (job.Poison)
            {
                throw new InvalidOperationException($"poison item {job.Number}");
            }

            report(log, $"done {job.Number}");
        }, workers, stopWhenEmpty: true);
        report(log, "finished");
        return 0;
    }
}
