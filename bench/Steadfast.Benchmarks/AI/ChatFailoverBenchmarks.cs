using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace Steadfast.Benchmarks.AI;

/// <summary>
/// The happy path: the first provider answers at once. Calling the provider directly, through MEAI's
/// <c>OrderedFailoverChatClient</c>, and through <see cref="SteadfastChatClient"/> (engine with learning on).
/// Goal: Steadfast ≤ 5 µs and one allocation over the provider's own, and ≤ 2× OrderedFailoverChatClient.
/// </summary>
[MemoryDiagnoser]
public class ChatFailoverBenchmarks
{
    private readonly ChatMessage[] _messages = [new(ChatRole.User, "Summarise the quarterly report in three sentences.")];
    private InstantClient _provider = null!;
    private IChatClient _ordered = null!;
    private SteadfastChatClient _steadfast = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = new InstantClient();
#pragma warning disable MEAI001 // Experimental in Microsoft.Extensions.AI 10.11: the competitor of this benchmark.
        _ordered = new OrderedFailoverChatClient([_provider, new InstantClient()], leaveOpen: true);
#pragma warning restore MEAI001
        _steadfast = new SteadfastChatClient([new ChatProvider("primary", _provider), new ChatProvider("backup", new InstantClient())]);
    }

    [GlobalCleanup]
    public void Cleanup() => _steadfast.Dispose();

    [Benchmark(Baseline = true)]
    public Task<ChatResponse> Direct() => _provider.GetResponseAsync(_messages);

    [Benchmark]
    public Task<ChatResponse> OrderedFailover() => _ordered.GetResponseAsync(_messages);

    [Benchmark]
    public Task<ChatResponse> Steadfast() => _steadfast.GetResponseAsync(_messages);

    /// <summary>A provider that answers at once with a new response (its own allocations are the baseline).</summary>
    private sealed class InstantClient : IChatClient
    {
        private static readonly ChatMessage Answer = new(ChatRole.Assistant, "ok");

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(Answer));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
