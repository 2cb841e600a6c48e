using System.Collections.Concurrent;
using System.Diagnostics;
using Steadfast.Telemetry;

namespace Steadfast.Tests.Engine;

public sealed class ResilienceEngineTracingTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public ResilienceEngineTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SteadfastTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task ExecuteAsync_Listened_RecordsOneSpanWithOutcomeAndLeavesCallerContextAlone()
    {
        var engine = new ResilienceEngine(new ResilienceOptions { EnableLearning = false });
        var operation = "traced_" + Guid.NewGuid().ToString("N");
        Activity? inside = null;

        var result = await engine.ExecuteAsync(_ =>
        {
            inside = Activity.Current;
            return Task.FromResult(42);
        }, operation);

        Assert.True(result.Success);
        Assert.Null(Activity.Current); // the span never leaks to the caller
        var span = Assert.Single(SpansOf(operation));
        Assert.Same(span, inside); // the operation runs inside the span, so its own spans become children
        Assert.Equal(EngineTracing.ExecuteActivityName, span.OperationName);
        Assert.Equal("Succeeded", span.GetTagItem("steadfast.stop_reason"));
        Assert.Equal(operation, span.GetTagItem("steadfast.strategy"));
        Assert.Equal(1, span.GetTagItem("steadfast.attempts"));
        Assert.Equal(false, span.GetTagItem("steadfast.parallel"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task ExecuteWithAlternativesAsync_AllFail_SpanHasErrorStatus()
    {
        var engine = new ResilienceEngine(new ResilienceOptions { EnableLearning = false });
        var operation = "traced_fail_" + Guid.NewGuid().ToString("N");
        Strategy<int>[] strategies =
        [
            new("a", _ => Task.FromException<int>(new ArgumentException("bad input a"))),
            new("b", _ => Task.FromException<int>(new ArgumentException("bad input b"))),
        ];

        var result = await engine.ExecuteWithAlternativesAsync(strategies, operation, parallel: true);

        Assert.False(result.Success);
        var span = Assert.Single(SpansOf(operation));
        Assert.Equal(true, span.GetTagItem("steadfast.parallel"));
        Assert.Equal(result.StopReason.ToString(), span.GetTagItem("steadfast.stop_reason"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    private IEnumerable<Activity> SpansOf(string operation) =>
        _stopped.Where(a => Equals(a.GetTagItem("steadfast.operation"), operation));
}
