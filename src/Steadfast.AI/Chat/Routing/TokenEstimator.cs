using Microsoft.Extensions.AI;

namespace Steadfast.AI.Chat;

/// <summary>
/// Counts a request's input tokens before it is sent, to estimate its cost and check it against context windows. A rough,
/// model-independent count (four characters a token plus a little per message): it decides skips, while cost is charged from
/// the provider's reported usage.
/// </summary>
internal static class TokenEstimator
{
    public static long EstimateInputTokens(IReadOnlyList<ChatMessage> messages)
    {
        // Index loops: a foreach over the interfaces would allocate an enumerator per message on every request.
        long characters = 0;
        for (var m = 0; m < messages.Count; m++)
        {
            var contents = messages[m].Contents;
            for (var c = 0; c < contents.Count; c++)
            {
                if (contents[c] is TextContent text)
                {
                    characters += text.Text?.Length ?? 0;
                }
            }
        }

        return ((characters + ChatConstants.CharactersPerToken - 1) / ChatConstants.CharactersPerToken) + ((long)messages.Count * ChatConstants.TokensPerMessage);
    }

    public static decimal EstimateCost(ChatProvider provider, long inputTokens, ChatOptions? options) =>
        (inputTokens * provider.InputTokenPrice) + ((options?.MaxOutputTokens ?? 0) * provider.OutputTokenPrice);

    public static decimal CostOf(ChatProvider provider, UsageDetails? usage) =>
        usage is null ? 0m : ((usage.InputTokenCount ?? 0) * provider.InputTokenPrice) + ((usage.OutputTokenCount ?? 0) * provider.OutputTokenPrice);
}
