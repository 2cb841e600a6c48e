using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Steadfast.AI.Tests.Chat;

/// <summary>A simulated LLM provider: each call takes the next scripted step (the last step repeats).</summary>
internal sealed class ScriptedChatClient(string name) : IChatClient
{
    private readonly Queue<Func<ChatOptions?, CancellationToken, Task<ChatResponse>>> _steps = new();
    private readonly Queue<Func<CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>> _streams = new();
    private Func<ChatOptions?, CancellationToken, Task<ChatResponse>>? _last;
    private Func<CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>? _lastStream;
    private int _calls;

    public string Name { get; } = name;

    public int Calls => Volatile.Read(ref _calls);

    public List<ChatOptions?> ReceivedOptions { get; } = [];

    public ScriptedChatClient Answers(string text = "ok", long input = 100, long output = 50) =>
        Then((_, _) => Task.FromResult(Response(text, input, output)));

    public ScriptedChatClient Throws(Exception error) => Then((_, _) => Task.FromException<ChatResponse>(error));

    public ScriptedChatClient Then(Func<ChatOptions?, CancellationToken, Task<ChatResponse>> step)
    {
        _steps.Enqueue(step);
        _last = step;
        return this;
    }

    public ScriptedChatClient Streams(string[] parts, Exception? failAfter = null, long input = 10, long output = 20)
    {
        Func<CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> step = ct => Stream(parts, failAfter, input, output, ct);
        _streams.Enqueue(step);
        _lastStream = step;
        return this;
    }

    public ScriptedChatClient StreamThrows(Exception error) => StreamsAndThrowsFirst(error);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        lock (ReceivedOptions)
        {
            ReceivedOptions.Add(options);
        }

        var step = _steps.Count > 0 ? _steps.Dequeue() : _last ?? throw new InvalidOperationException($"{Name}: nothing scripted");
        return step(options, cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var step = _streams.Count > 0 ? _streams.Dequeue() : _lastStream ?? throw new InvalidOperationException($"{Name}: no stream scripted");
        return step(cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    public static ChatResponse Response(string text, long input, long output) =>
        new(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output } };

    private ScriptedChatClient StreamsAndThrowsFirst(Exception error)
    {
        Func<CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> step = _ => Failing(error);
        _streams.Enqueue(step);
        _lastStream = step;
        return this;
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Failing(Exception error)
    {
        await Task.Yield();
        throw error;
#pragma warning disable CS0162 // An iterator needs a yield to be one.
        yield break;
#pragma warning restore CS0162
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Stream(string[] parts, Exception? failAfter, long input, long output,
        [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var part in parts)
        {
            await Task.Yield();
            ct.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, part);
        }

        if (failAfter is not null)
        {
            throw failAfter;
        }

        yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output })] };
    }
}
