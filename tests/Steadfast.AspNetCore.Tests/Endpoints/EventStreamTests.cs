using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.AspNetCore.Tests.Endpoints;

public sealed class EventStreamTests
{
    [Fact]
    public async Task GetEvents_IsEventStreamStartingWithHello()
    {
        await using var host = await TestHost.StartAsync(time: new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000)));
        await using var stream = await EventStream.OpenAsync(host);

        Assert.Equal("text/event-stream", stream.MediaType);
        var hello = await stream.NextAsync();
        Assert.Equal("hello", hello.EventType);
        Assert.False(JsonDocument.Parse(hello.Data).RootElement.GetProperty("mutations").GetBoolean());
    }

    [Fact]
    public async Task GetEvents_CircuitOpens_SendsCircuitEventAtOnce()
    {
        await using var host = await TestHost.StartAsync(time: new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000)));
        var breaker = host.Circuits.GetOrCreate("billing/primary");
        await using var stream = await EventStream.OpenAsync(host);
        await stream.NextAsync(); // hello

        breaker.Isolate();

        var item = await stream.NextAsync();
        Assert.Equal("circuit", item.EventType);
        var data = JsonDocument.Parse(item.Data).RootElement;
        Assert.Equal("billing/primary", data.GetProperty("circuit").GetProperty("name").GetString());
        Assert.Equal("Isolated", data.GetProperty("circuit").GetProperty("state").GetString());
        Assert.Equal("Closed", data.GetProperty("previous").GetString());
        Assert.Equal("ManualIsolation", data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task GetEvents_ComponentMarkedDegraded_SendsModeEventWithReason()
    {
        await using var host = await TestHost.StartAsync(time: new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000)));
        await using var stream = await EventStream.OpenAsync(host);
        await stream.NextAsync(); // hello

        await host.Services.GetRequiredService<OperationModeManager>().MarkComponentDegradedAsync("openai", "timeouts");

        var item = await stream.NextAsync();
        Assert.Equal("mode", item.EventType);
        var data = JsonDocument.Parse(item.Data).RootElement;
        Assert.Equal("Normal", data.GetProperty("previous").GetString());
        Assert.Equal("Degraded", data.GetProperty("mode").GetString());
        Assert.Equal("openai", data.GetProperty("reasons")[0].GetProperty("component").GetString());
    }

    [Fact]
    public async Task GetEvents_CreativeSolverEventOnTheBus_SendsCreativeEventRedacted()
    {
        await using var host = await TestHost.StartAsync(time: new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000)));
        await using var stream = await EventStream.OpenAsync(host);
        await stream.NextAsync(); // hello

        await host.Services.GetRequiredService<IEventBus>().PublishAsync(CreativeEndpointsTests.Step(
            CreativeEventKind.Refused, tool: "call_provider", arguments: """{"token":"sk-abcdefghijklmnopqrstuvwxyz0123456789"}""", reason: "unknown tool 'call_provider'"));

        var item = await stream.NextUntilAsync("creative");
        Assert.DoesNotContain("abcdefghijklmnopqrstuvwxyz0123456789", item.Data, StringComparison.Ordinal);
        var data = JsonDocument.Parse(item.Data).RootElement;
        Assert.Equal("Refused", data.GetProperty("kind").GetString());
        Assert.Equal("call_provider", data.GetProperty("tool").GetString());
        Assert.Equal("unknown tool 'call_provider'", data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task GetEvents_IntervalElapses_SendsMetricsWithCallsSinceLast()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        await using var host = await TestHost.StartAsync(time: time);
        var breaker = host.Circuits.GetOrCreate("billing");
        await using var stream = await EventStream.OpenAsync(host);
        await stream.NextAsync(); // hello
        breaker.RecordSuccess();
        breaker.RecordFailure(new TimeoutException("slow"));

        time.Advance(TimeSpan.FromSeconds(1));

        var item = await stream.NextAsync();
        Assert.Equal("metrics", item.EventType);
        var circuit = JsonDocument.Parse(item.Data).RootElement.GetProperty("circuits")[0];
        Assert.Equal("billing", circuit.GetProperty("name").GetString());
        Assert.Equal(2, circuit.GetProperty("calls").GetInt64());
        Assert.Equal(1, circuit.GetProperty("failures").GetInt64());
    }

    [Fact]
    public async Task GetEvents_BlacklistLifted_SendsBlacklistEvent()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        await using var host = await TestHost.StartAsync(mutations: true, time: time);
        await host.Analyzer.AddToBlacklistAsync("mirror", "download", "slow");
        await using var stream = await EventStream.OpenAsync(host);
        await stream.NextAsync(); // hello

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Delete, "blacklist/download/mirror", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var item = await stream.NextAsync();
        Assert.Equal("blacklist", item.EventType);
        Assert.Equal(0, JsonDocument.Parse(item.Data).RootElement.GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public async Task GetEvents_EngineAttempts_SendsAttemptEvents()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        await using var host = await TestHost.StartAsync(time: time);
        var engine = host.Services.GetRequiredService<ResilienceEngine>();
        await using var stream = await EventStream.OpenAsync(host);
        await stream.NextAsync(); // hello
        time.Advance(TimeSpan.FromSeconds(1)); // the first tick attaches to the engine
        Assert.Equal("metrics", (await stream.NextAsync()).EventType);

        await engine.ExecuteWithAlternativesAsync([new Strategy<int>("primary", (_, _) => Task.FromResult(1))], "checkout");

        var item = await stream.NextUntilAsync("attempt");
        var data = JsonDocument.Parse(item.Data).RootElement;
        Assert.Equal("checkout", data.GetProperty("operation").GetString());
        Assert.Equal("primary", data.GetProperty("strategy").GetString());
        Assert.Equal("Succeeded", data.GetProperty("outcome").GetString());
    }

    /// <summary>An open <c>GET events</c> response read with the BCL's SSE parser.</summary>
    private sealed class EventStream : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly IAsyncEnumerator<SseItem<string>> _items;
        private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

        private EventStream(HttpResponseMessage response, Stream body)
        {
            _response = response;
            _items = SseParser.Create(body).EnumerateAsync(_timeout.Token).GetAsyncEnumerator(_timeout.Token);
        }

        public string? MediaType => _response.Content.Headers.ContentType?.MediaType;

        public static async Task<EventStream> OpenAsync(TestHost host)
        {
            var response = await host.Client().GetAsync("/steadfast/events", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return new EventStream(response, await response.Content.ReadAsStreamAsync());
        }

        public async Task<SseItem<string>> NextAsync()
        {
            Assert.True(await _items.MoveNextAsync(), "the stream ended");
            return _items.Current;
        }

        public async Task<SseItem<string>> NextUntilAsync(string eventType)
        {
            while (true)
            {
                var item = await NextAsync();
                if (item.EventType == eventType)
                {
                    return item;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _timeout.CancelAsync();
            try
            {
                await _items.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
            }

            _response.Dispose();
            _timeout.Dispose();
        }
    }
}
