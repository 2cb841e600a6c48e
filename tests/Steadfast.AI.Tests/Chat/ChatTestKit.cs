using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.AI.Tests.Chat;

internal static class ChatTestKit
{
    public static SteadfastChatOptions Options(Action<SteadfastChatOptions>? configure = null)
    {
        // One attempt per provider: every test is about moving between providers, and no backoff waits on the fake clock.
        var options = new SteadfastChatOptions { Engine = new ResilienceOptions { MaxAttempts = 1, RetryBudget = null } };
        configure?.Invoke(options);
        return options;
    }

    public static SteadfastChatClient Client(FakeTimeProvider time, SteadfastChatOptions options, params ChatProvider[] providers) =>
        new(providers, options, timeProvider: time);

    public static SteadfastChatClient Client(FakeTimeProvider time, params ChatProvider[] providers) => Client(time, Options(), providers);

    public static FakeTimeProvider Time() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static Exception ServerError() => new ChatProviderException(ChatErrorKind.ServerError, "upstream 503");

    public static object? Prop(ChatResponse r, string key) => r.AdditionalProperties?.TryGetValue(key, out var v) == true ? v : null;
}
