using Microsoft.Extensions.AI;

namespace Steadfast.AI.Chat;

/// <summary>A provider with what the client keeps for it: its limiter.</summary>
internal sealed class ProviderRuntime(ChatProvider provider, ProviderLimiter limiter)
{
    public ChatProvider Provider { get; } = provider;

    public string Name => Provider.Name;

    public ProviderLimiter Limiter { get; } = limiter;

    /// <summary>Whether both token prices are 0: every estimate and cost is 0 without decimal arithmetic.</summary>
    public bool IsFree { get; } = provider.InputTokenPrice == 0m && provider.OutputTokenPrice == 0m;

    /// <summary>The options the provider receives: the request's, with the provider's model when it names one.</summary>
    public ChatOptions? OptionsFor(ChatOptions? options)
    {
        if (Provider.ModelId is null)
        {
            return options;
        }

        var copy = options?.Clone() ?? new ChatOptions();
        copy.ModelId = Provider.ModelId;
        return copy;
    }
}
