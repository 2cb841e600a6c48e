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
            ChatResponse? fresh = null;
            var found = await _cache.GetOrCreateEntryAsync(key, async ct =>
            {
                var response = await call(cancellationToken).ConfigureAwait(false);
                if (IsDegraded(response))
                {
                    throw new NotCachedException(response);
                }

                // The caller who made the request sees everything; the stored copy leaves out the attempt log (it holds
                // exceptions, which are neither serializable nor true of a later hit).
                fresh = response;
                return Copy(response, withoutAttemptLog: true);
            }, entry, cancellationToken).ConfigureAwait(false);
            return found.IsHit ? Marked(found.Value, found.Level!.Value, found.IsStale) : fresh ?? found.Value;
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
        var copy = Copy(cached, withoutAttemptLog: true);
        var properties = copy.AdditionalProperties!;
        properties[SteadfastChatProperties.Cached] = true;
        properties[SteadfastChatProperties.CacheLevel] = level switch
        {
            CacheLevel.Memory => "L1",
            CacheLevel.Disk => "L2",
            _ => "L3",
        };
        properties[SteadfastChatProperties.Cost] = 0m;
        properties[SteadfastChatProperties.Attempts] = 0;
        if (stale)
        {
            properties[SteadfastChatProperties.Stale] = true;
        }

        return copy;
    }

    private static ChatResponse Copy(ChatResponse response, bool withoutAttemptLog)
    {
        var copy = new ChatResponse(response.Messages)
        {
            ResponseId = response.ResponseId,
            ConversationId = response.ConversationId,
            ModelId = response.ModelId,
            CreatedAt = response.CreatedAt,
            FinishReason = response.FinishReason,
            Usage = response.Usage,
            AdditionalProperties = response.AdditionalProperties is null ? [] : new(response.AdditionalProperties),
        };
        if (withoutAttemptLog)
        {
            copy.AdditionalProperties.Remove(SteadfastChatProperties.AttemptLog);
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
