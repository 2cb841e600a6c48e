using Steadfast.Chaos.Competitors;
using Steadfast.Chaos.World;

namespace Steadfast.Chaos.Load;

/// <summary>Runs one competitor against the world: the script restarts, N callers call in a loop until the duration is up.</summary>
internal static class LoadRunner
{
    public static async Task<RunResult> RunAsync(ICompetitor competitor, ChaosWorld world, LoadPlan plan, TimeSpan? stopAfter = null)
    {
        var run = world.BeginRun(plan.Duration, plan.Seed);
        var script = run.Script;
        var until = stopAfter ?? plan.Duration;
        var perCaller = new List<CallRecord>[plan.Callers];
        var callers = new Task[plan.Callers];
        for (var i = 0; i < plan.Callers; i++)
        {
            var records = perCaller[i] = [];
            callers[i] = Task.Run(() => CallInALoopAsync(competitor, script, until, plan.Deadline, records));
        }

        await Task.WhenAll(callers);
        var providers = run.End();
        var notes = await competitor.DescribeAsync();
        return new RunResult(competitor.Name, perCaller.SelectMany(r => r).OrderBy(r => r.Started).ToArray(), providers,
            script.OutageStart, script.OutageEnd, script.Duration, notes);
    }

    private static async Task CallInALoopAsync(ICompetitor competitor, WorldScript script, TimeSpan until, TimeSpan deadline, List<CallRecord> records)
    {
        while (script.Elapsed < until)
        {
            var started = script.Elapsed;
            CallResult result;
            using (var timeout = new CancellationTokenSource(deadline, TimeProvider.System))
            {
                try
                {
                    result = await competitor.CallAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    result = CallResult.Failed("deadline");
                }
                catch (Exception e)
                {
                    // Whatever a library throws is a failed call, named by its type.
                    result = CallResult.Failed(e.GetType().Name);
                }
            }

            records.Add(new CallRecord(started, script.Elapsed, result.Success, result.ServedBy, result.Failure));
        }
    }
}
