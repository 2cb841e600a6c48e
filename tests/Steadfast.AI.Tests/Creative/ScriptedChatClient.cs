using Microsoft.Extensions.AI;

namespace Steadfast.AI.Tests.Creative;

/// <summary>A fake model for tests: answers from a script, one step per call, and keeps what it was asked.</summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<Func<ChatResponse>> _script = new();

    public int Calls { get; private set; }

    public List<string> Prompts { get; } = [];

    public List<ChatOptions?> Options { get; } = [];

    /// <summary>The next answer proposes these tool calls (name, arguments), with a rationale as text.</summary>
    public ScriptedChatClient ThenPropose(params (string Tool, Dictionary<string, object?> Arguments)[] calls)
    {
        _script.Enqueue(() =>
        {
            var contents = new List<AIContent> { new TextContent("Because the cache has a wider key.") };
            var i = 0;
            foreach (var (tool, arguments) in calls)
            {
                contents.Add(new FunctionCallContent("call" + i++, tool, arguments));
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents));
        });
        return this;
    }

    public ScriptedChatClient ThenFail(Exception error)
    {
        _script.Enqueue(() => throw error);
        return this;
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        Prompts.Add(string.Join("\n", messages.Select(m => m.Text)));
        Options.Add(options);
        if (!_script.TryDequeue(out var next))
        {
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "I have no idea.")));
        }

        return Task.FromResult(next());
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The solver does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
