namespace Steadfast;

/// <summary>
/// Removes from an execution the strategies the system's conditions rule out, recording each as skipped: in
/// <see cref="OperationMode.Emergency"/> all but the essential ones, and those whose health component is Unhealthy.
/// Neither ever removes the last way: an operation with no essential strategy keeps its cheapest, and if every remaining
/// strategy's component is Unhealthy they all stay (the monitor may be behind; trying beats giving up).
/// </summary>
internal static class OperatingFilter
{
    public static List<Strategy<T>> Apply<T>(ResilienceResult<T> exec, List<Strategy<T>> given, OperatingConditions conditions, AttemptRecorder recorder)
    {
        var kept = given;
        if (conditions.Mode == OperationMode.Emergency)
        {
            kept = Essential(given);
            Skip(exec, given, kept, recorder, _ => SkipReasons.NotEssentialInEmergency);
        }

        var healthy = kept.FindAll(s => !conditions.IsUnhealthy(s));
        if (healthy.Count > 0 && healthy.Count < kept.Count)
        {
            Skip(exec, kept, healthy, recorder, s => SkipReasons.ComponentUnhealthyPrefix + s.HealthComponent);
            kept = healthy;
        }

        return kept;
    }

    private static List<Strategy<T>> Essential<T>(List<Strategy<T>> given)
    {
        var essential = given.FindAll(s => s.EssentialInEmergency);
        if (essential.Count > 0)
        {
            return essential;
        }

        // None marked: the cheapest one (the first given among equals) is what an emergency can afford.
        var cheapest = given[0];
        foreach (var s in given)
        {
            if (s.Cost < cheapest.Cost)
            {
                cheapest = s;
            }
        }

        return [cheapest];
    }

    private static void Skip<T>(ResilienceResult<T> exec, List<Strategy<T>> before, List<Strategy<T>> after, AttemptRecorder recorder, Func<Strategy<T>, string> reason)
    {
        foreach (var s in before)
        {
            if (!after.Contains(s))
            {
                recorder.Skipped(exec, s.Name, reason(s), null);
            }
        }
    }
}
