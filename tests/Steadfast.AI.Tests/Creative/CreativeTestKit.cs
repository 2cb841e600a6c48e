using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.AI.Tests.Creative;

/// <summary>Engines whose given strategies fail, tools whose calls the test sees, and fake time.</summary>
internal static class CreativeTestKit
{
    public const string Operation = "fetch-profile";

    public static readonly JsonElement KeySchema = JsonDocument.Parse("""
        {"type":"object","properties":{"key":{"type":"string","minLength":1},"limit":{"type":"integer","minimum":1,"maximum":10}},"required":["key"],"additionalProperties":false}
        """).RootElement.Clone();

    public static FakeTimeProvider NewTime() => new(new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero));

    public static ResilienceEngine NewEngine(FakeTimeProvider time, ICreativeSolver? solver, Action<ResilienceOptions>? tweak = null)
    {
        var options = new ResilienceOptions { MaxAttempts = 1, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, EnableProgressTracking = false };
        tweak?.Invoke(options);
        return new ResilienceEngine(options, timeProvider: time) { CreativeSolver = solver };
    }

    public static Strategy<string>[] FailingStrategies(string message = "provider down") =>
    [
        new("primary", _ => Task.FromException<string>(new HttpRequestException(message))),
        new("mirror", _ => Task.FromException<string>(new HttpRequestException(message))),
    ];

    /// <summary>A tool that answers "cached:&lt;key&gt;" and counts its calls; it fails when the key is "bad".</summary>
    public static CreativeTool CacheTool(List<string>? calls = null, decimal cost = 0m) =>
        new("fetch_cache_wider", "Reads the profile from the cache with a wider key.", KeySchema, (args, _) =>
        {
            var key = args.GetProperty("key").GetString()!;
            calls?.Add(key);
            return key == "bad"
                ? ValueTask.FromException<object?>(new InvalidOperationException("cache miss for " + key))
                : ValueTask.FromResult<object?>("cached:" + key);
        }, cost);

    public static Dictionary<string, object?> Args(string key) => new() { ["key"] = key };

    public static async Task<ResilienceResult<T>> RunAsync<T>(FakeTimeProvider time, ResilienceEngine engine, IEnumerable<Strategy<T>> strategies)
    {
        var task = engine.ExecuteWithAlternativesAsync(strategies, Operation).AsTask();
        for (var i = 0; !task.IsCompleted && i < 100_000; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        return await task;
    }
}
