using System.Diagnostics;
using Steadfast.Telemetry;

namespace Steadfast;

// One span per execution, named "steadfast.engine.execute", on the "Steadfast" ActivitySource. Only when someone
// listens: the untraced path is the plain execution, so the happy path stays free of allocations. The span starts
// inside an async method, so Activity.Current changes only for the execution (the operation's own spans, an
// HttpClient call for example, become its children) and never leaks to the caller.
public sealed partial class ResilienceEngine
{
    /// <summary>The name of the span an execution records.</summary>
    internal const string ExecuteActivityName = "steadfast.engine.execute";

    private static bool Tracing => SteadfastTelemetry.ActivitySource.HasListeners();

    private async ValueTask<ResilienceResult<T>> TraceSequentialAsync<T>(ResilienceResult<T> exec, Slot<T> first, List<Strategy<T>>? plan, CancellationToken cancellationToken)
    {
        using var activity = StartExecuteActivity(exec.OperationName, parallel: false);
        try
        {
            return CompleteExecuteActivity(activity, await ExecuteSequentialAsync(exec, first, plan, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    private async ValueTask<ResilienceResult<T>> TraceParallelAsync<T>(ResilienceResult<T> exec, List<Strategy<T>> plan, CancellationToken cancellationToken)
    {
        using var activity = StartExecuteActivity(exec.OperationName, parallel: true);
        try
        {
            return CompleteExecuteActivity(activity, await ExecuteParallelAsync(exec, plan, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    private static Activity? StartExecuteActivity(string operationName, bool parallel)
    {
        var activity = SteadfastTelemetry.ActivitySource.StartActivity(ExecuteActivityName);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("steadfast.operation", operationName);
            activity.SetTag("steadfast.parallel", parallel);
        }

        return activity;
    }

    private static ResilienceResult<T> CompleteExecuteActivity<T>(Activity? activity, ResilienceResult<T> result)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("steadfast.stop_reason", result.StopReason.ToString());
            activity.SetTag("steadfast.strategy", result.StrategyUsed);
            activity.SetTag("steadfast.attempts", result.AttemptCount);
            if (!result.Success)
            {
                activity.SetStatus(ActivityStatusCode.Error, result.Error?.Message ?? result.StopReason.ToString());
            }
        }

        return result;
    }
}
