namespace Steadfast;

/// <summary>The keys a <see cref="SteadfastChatClient"/> sets in a response's <c>AdditionalProperties</c>.</summary>
public static class SteadfastChatProperties
{
    /// <summary>The name of the provider that answered (a <see cref="string"/>); absent on a degraded response.</summary>
    public const string Provider = "steadfast.provider";

    /// <summary>What the answer cost (a <see cref="decimal"/>): the usage times the provider's prices.</summary>
    public const string Cost = "steadfast.cost";

    /// <summary>How many provider calls the request made (an <see cref="int"/>), the successful one included.</summary>
    public const string Attempts = "steadfast.attempts";

    /// <summary>Every provider call and skip of the request, in order (an <see cref="IReadOnlyList{T}"/> of <see cref="ChatProviderAttempt"/>).</summary>
    public const string AttemptLog = "steadfast.attempt_log";

    /// <summary>Whether the response is the degraded response because every provider was unavailable (a <see cref="bool"/>).</summary>
    public const string Degraded = "steadfast.degraded";

    /// <summary>The <see cref="OperationMode"/> when the degraded response was given; set only when the client has an <see cref="OperationModeManager"/>.</summary>
    public const string Mode = "steadfast.mode";

    /// <summary>Whether the response came from a cache (a <see cref="bool"/>); set by <c>UseSteadfastCache()</c>.</summary>
    public const string Cached = "steadfast.cached";

    /// <summary>The cache level that answered (a <see cref="string"/>: <c>L1</c>, <c>L2</c>, <c>L3</c>); set by <c>UseSteadfastCache()</c>.</summary>
    public const string CacheLevel = "steadfast.cache_level";

    /// <summary>Whether a cached response had expired and is served within the grace period because the provider call failed (a <see cref="bool"/>).</summary>
    public const string Stale = "steadfast.stale";
}
