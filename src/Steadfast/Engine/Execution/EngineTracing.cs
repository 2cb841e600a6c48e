using System.Diagnostics;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// One span per execution, named <c>steadfast.engine.execute</c>, on the <c>Steadfast</c> ActivitySource. Only when someone
/// listens: the untraced path is the plain execution, so the happy path stays free of allocations. The span starts inside an
/// async method, so <see cref="Activity.Current"/> changes only for the execution (the operation's own spans, an HttpClient
/// call for example, become its children) and never leaks to the caller.
/// </summary>
internal static class EngineTracing
{
    /// <summary>The name of the span an execution records.</summary>
    public const string ExecuteActivityName = "steadfast.engine.execute";

    public static bool Enabled => SteadfastTelemetry.ActivitySource.HasListeners();

    public static async ValueTask<ResilienceResult<T>> TraceAsync<T>(SequentialRunner runner, ResilienceResult<T> exec, StrategySlot<T>? first, List<PlannedStrategy<T>>? plan, CancellationToken cancellationToken)
    {
        using var activity = Start(exec.OperationName, ExecutionMode.Sequential);
        try
        {
            return Complete(activity, await runner.RunAsync(exec, first, plan, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    public static async ValueTask<ResilienceResult<T>> TraceAsync<T>(ParallelRunner runner, ResilienceResult<T> exec, List<PlannedStrategy<T>> plan, bool hedged, CancellationToken cancellationToken)
    {
        using var activity = Start(exec.OperationName, hedged ? ExecutionMode.Hedged : ExecutionMode.Race);
        try
        {
            return Complete(activity, await runner.RunAsync(exec, plan, hedged, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    private static Activity? Start(string operationName, ExecutionMode mode)
    {
        var activity = SteadfastTelemetry.ActivitySource.StartActivity(ExecuteActivityName);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("steadfast.operation", operationName);
            activity.SetTag("steadfast.parallel", mode != ExecutionMode.Sequential);
            activity.SetTag("steadfast.mode", mode.ToString());
        }

        return activity;
    }

    private static ResilienceResult<T> Complete<T>(Activity? activity, ResilienceResult<T> result)
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
