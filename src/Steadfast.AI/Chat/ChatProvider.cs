using Microsoft.Extensions.AI;

namespace Steadfast;

/// <summary>
/// One LLM provider behind a <see cref="SteadfastChatClient"/>: its <see cref="IChatClient"/>, its prices, its limits and its
/// role in failover. Each provider is a strategy of the client's <see cref="ResilienceEngine"/>, named <see cref="Name"/>: it is
/// ranked and learned from, has its own circuit, is blacklisted and probed, and is deferred while it is rate limited.
/// </summary>
public sealed class ChatProvider
{
    /// <summary>Creates a provider.</summary>
    /// <param name="name">The provider's name, unique within a client; learning, circuits and telemetry key on it.</param>
    /// <param name="client">The provider's chat client. The <see cref="SteadfastChatClient"/> does not dispose it.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    public ChatProvider(string name, IChatClient client)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(client);
        Name = name;
        Client = client;
    }

    /// <summary>The provider's name.</summary>
    public string Name { get; }

    /// <summary>The provider's chat client.</summary>
    public IChatClient Client { get; }

    /// <summary>The price of one input token (0 or more), in the currency of the cost budget.</summary>
    /// <value>The default is 0.</value>
    public decimal InputTokenPrice { get; init; }

    /// <summary>The price of one output token (0 or more).</summary>
    /// <value>The default is 0.</value>
    public decimal OutputTokenPrice { get; init; }

    /// <summary>The model this provider is asked for; set on the request's <see cref="ChatOptions.ModelId"/> when given.</summary>
    /// <value>The default is <see langword="null"/>: the request's model (or the client's default) is kept.</value>
    public string? ModelId { get; init; }

    /// <summary>Whether the provider is kept in the Emergency operation mode (a local model, for example).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Essential { get; init; }

    /// <summary>
    /// The provider's context window in tokens. A request whose estimated size exceeds it is not sent to this provider; after a
    /// context-window error, the request fails over only to providers whose window is larger.
    /// </summary>
    /// <value>The default is <see langword="null"/>: unknown (never a context-window fallback).</value>
    public int? MaxContextTokens { get; init; }

    /// <summary>The most requests in flight to this provider at once (a bulkhead); more are refused as rate limited.</summary>
    /// <value>The default is <see langword="null"/>: no limit.</value>
    public int? MaxConcurrentRequests { get; init; }

    /// <summary>The provider's quota of requests per minute; the client never sends more within any minute.</summary>
    /// <value>The default is <see langword="null"/>: no limit.</value>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Whether a request another provider refused for its content policy may be sent to this one.</summary>
    /// <value>The default is <see langword="false"/>: a content-policy refusal fails over only to providers marked for it.</value>
    public bool ContentPolicyFallback { get; init; }

    /// <summary>How much the provider is preferred (0 or more); the engine's ranking multiplies it with history, latency and cost.</summary>
    /// <value>The default is 1.</value>
    public double Priority { get; init; } = 1.0;

    internal void Validate()
    {
        var owner = $"{nameof(ChatProvider)} '{Name}'";
        Guard.AtLeast(InputTokenPrice, 0m, owner);
        Guard.AtLeast(OutputTokenPrice, 0m, owner);
        Guard.That(double.IsFinite(Priority) && Priority >= 0, Priority, "must be a finite number of 0 or more", owner);
        if (MaxContextTokens is { } window)
        {
            Guard.AtLeast(window, 1, owner);
        }

        if (MaxConcurrentRequests is { } concurrent)
        {
            Guard.AtLeast(concurrent, 1, owner);
        }

        if (RequestsPerMinute is { } perMinute)
        {
            Guard.AtLeast(perMinute, 1, owner);
        }
    }
}
