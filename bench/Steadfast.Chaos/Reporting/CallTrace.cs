using System.Globalization;
using Steadfast.Chaos.Load;

namespace Steadfast.Chaos.Reporting;

/// <summary>Every call of every competitor as CSV (times in ms from the run's start), for looking at a run over time.</summary>
internal static class CallTrace
{
    public static IEnumerable<string> Lines(IEnumerable<RunResult> runs)
    {
        yield return "competitor,started_ms,ended_ms,latency_ms,success,served_by,failure,primary_down";
        foreach (var run in runs)
        {
            foreach (var call in run.Calls)
            {
                var down = call.Started >= run.OutageStart && call.Started < run.OutageEnd;
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"{run.Competitor},{call.Started.TotalMilliseconds:0.0},{call.Ended.TotalMilliseconds:0.0},{call.Latency.TotalMilliseconds:0.0},{(call.Success ? 1 : 0)},{call.ServedBy},{call.Failure},{(down ? 1 : 0)}");
            }
        }
    }
}
