using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Steadfast;

/// <summary>
/// Chat middleware that answers repeated requests from a <see cref="SteadfastCache"/>. The key is a hash of the messages, the
/// options and the model; only successful responses are stored (a degraded response from a <see cref="SteadfastChatClient"/>
/// is not, and an expired entry within the grace period is served instead of it, marked stale). Cached responses carry
/// <c>steadfast.cached = true</c> and <c>steadfast.cache_level</c>. Streaming passes through unless <see cref="CacheStreaming"/> is on.
/// </summary>
public sealed class SteadfastCachingChatClient : DelegatingChatClient
{
    private readonly SteadfastCache _cache;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The client whose responses are cached.</param>
    /// <param name="cache">The cache.</param>
    public SteadfastCachingChatClient(IChatClient innerClient, SteadfastCache cache)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
    }

    /// <summary>Whether streaming responses are cached too (collected whole, then replayed as updates on a hit).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool CacheStreaming { get; set; }

    /// <summary>The cache namespace of chat responses (bump or purge it to drop them all).</summary>
    /// <value>The default is <c>chat</c>.</value>
    public string Namespace { get; set; } = "chat";

    /// <summary>How long a response is fresh.</summary>
    /// <value>The default is <see langword="null"/>: the cache's default.</value>
    public TimeSpan? TimeToLive { get; set; }

    /// <summary>Whether the response came from the cache.</summary>
    /// <param name="response">A response of this client.</param>
    /// <returns><see langword="true"/> when it is marked <c>steadfast.cached</c>.</returns>
    public static bool IsCached(ChatResponse response) =>
        response?.AdditionalProperties?.TryGetValue(SteadfastChatProperties.Cached, out var v) == true && v is true;

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToArray();
        return await LookupAsync(list, options, streaming: false,
            ct => base.GetResponseAsync(list, options, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return CacheStreaming ? StreamCachedAsync(messages, options, cancellationToken) : base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamCachedAsync(IEnumerable<ChatMessage> messages, ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToArray();
        var response = await LookupAsync(list, options, streaming: true,
            ct => base.GetStreamingResponseAsync(list, options, ct).ToChatResponseAsync(ct), cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    private async Task<ChatResponse> LookupAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, bool streaming,
        Func<CancellationToken, Task<ChatResponse>> call, CancellationToken cancellationToken)
    {
        var key = AIJsonUtilities.HashDataToString([messages, options, options?.ModelId, streaming], AIJsonUtilities.DefaultOptions);
        var entry = new SteadfastCacheEntryOptions { Namespace = Namespace, TimeToLive = TimeToLive };
        try
        {
            var found = await _cache.GetOrCreateEntryAsync(key, async ct =>
            {
                var response = await call(cancellationToken).ConfigureAwait(false);
                return IsDegraded(response) ? throw new NotCachedException(response) : response;
            }, entry, cancellationToken).ConfigureAwait(false);
            return found.IsHit ? Marked(found.Value, found.Level!.Value, found.IsStale) : found.Value;
        }
        catch (NotCachedException degraded)
        {
            return degraded.Response;
        }
    }

    private static bool IsDegraded(ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(SteadfastChatProperties.Degraded, out var v) == true && v is true;

    // L1 hands out the stored instance: the marks go on a copy, so the cached response itself never changes.
    private static ChatResponse Marked(ChatResponse cached, CacheLevel level, bool stale)
    {
        var copy = new ChatResponse(cached.Messages)
        {
            ResponseId = cached.ResponseId,
            ConversationId = cached.ConversationId,
            ModelId = cached.ModelId,
            CreatedAt = cached.CreatedAt,
            FinishReason = cached.FinishReason,
            Usage = cached.Usage,
            AdditionalProperties = cached.AdditionalProperties is null ? [] : new(cached.AdditionalProperties),
        };
        copy.AdditionalProperties[SteadfastChatProperties.Cached] = true;
        copy.AdditionalProperties[SteadfastChatProperties.CacheLevel] = level switch
        {
            CacheLevel.Memory => "L1",
            CacheLevel.Disk => "L2",
            _ => "L3",
        };
        copy.AdditionalProperties[SteadfastChatProperties.Cost] = 0m;
        copy.AdditionalProperties[SteadfastChatProperties.Attempts] = 0;
        copy.AdditionalProperties.Remove(SteadfastChatProperties.AttemptLog);
        if (stale)
        {
            copy.AdditionalProperties[SteadfastChatProperties.Stale] = true;
        }

        return copy;
    }

    /// <summary>Carries a response that must not be stored (degraded) out of the cache's factory.</summary>
#pragma warning disable CA1032, CA1064 // Private control flow through the cache's factory, never seen outside this class.
    private sealed class NotCachedException(ChatResponse response) : Exception("The response is degraded and is not cached.")
    {
        public ChatResponse Response { get; } = response;
    }
#pragma warning restore CA1032, CA1064
}
