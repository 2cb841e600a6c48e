using Microsoft.Extensions.AI;

namespace Steadfast.Cli.Demo.Llm;

/// <summary>
/// A simulated LLM provider on the demo's clock: answers at once, or fails with a 503 while <see cref="IsDown"/> says so. Counts
/// its calls. Usage is reported so the client can price each answer.
/// </summary>
internal sealed class SimulatedLlm(string name, TimeProvider clock, Func<DateTimeOffset, bool> isDown) : IChatClient
{
    private int _calls;

    public string Name { get; } = name;

    public int Calls => Volatile.Read(ref _calls);

    public bool IsDown(DateTimeOffset now) => isDown(now);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        if (isDown(clock.GetUtcNow()))
        {
            return Task.FromException<ChatResponse>(new ChatProviderException(ChatErrorKind.ServerError, $"{Name}: HTTP 503 Service Unavailable"));
        }

        var question = messages.LastOrDefault()?.Text ?? string.Empty;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"[{Name}] answer to: {question}"))
        {
            Usage = new UsageDetails { InputTokenCount = 400, OutputTokenCount = 250 },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) => throw new NotSupportedException("The demo does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
