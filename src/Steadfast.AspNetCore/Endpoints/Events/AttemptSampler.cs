using Steadfast.AspNetCore.Endpoints.Json;

namespace Steadfast.AspNetCore.Endpoints.Events;

/// <summary>
/// Counts the engine's finished attempts and publishes at most <see cref="SteadfastWebOptions.MaxAttemptEventsPerInterval"/>
/// of them per interval as <c>attempt</c> events; the counts go into the <c>metrics</c> event. It listens to
/// <see cref="ResilienceEngine.Progress"/>, which the engine raises only with <see cref="ResilienceOptions.EnableProgressTracking"/> on.
/// </summary>
internal sealed class AttemptSampler(EventHub hub, int maxPerInterval, TimeProvider time)
{
    private ResilienceEngine? _engine;
    private long _attempts;
    private long _failed;
    private int _sentThisInterval;

    /// <summary>Listens to <paramref name="engine"/> (once).</summary>
    public void Attach(ResilienceEngine? engine)
    {
        if (engine is null || Interlocked.CompareExchange(ref _engine, engine, null) is not null)
        {
            return;
        }

        engine.Progress += OnProgress;
    }

    /// <summary>Stops listening.</summary>
    public void Detach()
    {
        if (Interlocked.Exchange(ref _engine, null) is { } engine)
        {
            engine.Progress -= OnProgress;
        }
    }

    /// <summary>The attempts and failed attempts since the previous call; opens a new sampling interval.</summary>
    public (long Attempts, long Failed) Take()
    {
        Volatile.Write(ref _sentThisInterval, 0);
        return (Interlocked.Exchange(ref _attempts, 0), Interlocked.Exchange(ref _failed, 0));
    }

    private void OnProgress(object? sender, ResilienceProgressEventArgs e)
    {
        if (e.Kind != ProgressKind.AttemptFinished)
        {
            return;
        }

        Interlocked.Increment(ref _attempts);
        if (e.Outcome == AttemptOutcome.Failed)
        {
            Interlocked.Increment(ref _failed);
        }

        if (hub.Subscribers > 0 && Interlocked.Increment(ref _sentThisInterval) <= maxPerInterval)
        {
            hub.Publish(
                EventTypes.Attempt,
                new AttemptEvent(e.OperationName, e.Strategy, e.AttemptNumber, e.Outcome, e.Elapsed.TotalMilliseconds, time.GetUtcNow()),
                SteadfastWebJsonContext.Default.AttemptEvent);
        }
    }
}
