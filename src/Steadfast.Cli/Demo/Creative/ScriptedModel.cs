using Microsoft.Extensions.AI;

namespace Steadfast.Cli.Demo.Creative;

/// <summary>
/// The demo's stand-in for an LLM: no model is called. Its one answer proposes a tool the application does not have
/// (so the refusal shows) and a cache read with a wider key (which works); it counts how often it is asked.
/// </summary>
internal sealed class ScriptedModel : IChatClient
{
    public int Calls { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var answer = new ChatMessage(ChatRole.Assistant,
        [
            new TextContent("Both providers time out; the cache holds a profile under a wider key."),
            new FunctionCallContent("1", "drop_the_cache", new Dictionary<string, object?>()),
            new FunctionCallContent("2", CreativeDemo.CacheTool, new Dictionary<string, object?> { ["key"] = "profile:*", ["rationale"] = "a stale profile beats no profile" }),
        ]);
        return Task.FromResult(new ChatResponse(answer));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The creative solver does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
