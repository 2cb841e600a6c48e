namespace Steadfast;

/// <summary>Defaults of <see cref="SteadfastChatClient"/> and <see cref="SteadfastChatOptions"/>, written once.</summary>
internal static class ChatConstants
{
    public const string DefaultOperationName = "chat";

    public const string DefaultDegradedText = "The AI service is temporarily unavailable. Please try again in a moment.";

    /// <summary>LLM calls are slow and paid for: a provider gets one retry before the next provider is tried.</summary>
    public const int DefaultAttemptsPerProvider = 2;

    /// <summary>The reason prefix of a blacklist entry made for an authentication failure (never probed: a key must be fixed).</summary>
    public const string AuthenticationBlacklistPrefix = "authentication failed: ";

    /// <summary>A rough, model-independent estimate: about four characters of English text per token.</summary>
    public const int CharactersPerToken = 4;

    /// <summary>What each message adds beyond its text (role and separators), in tokens.</summary>
    public const int TokensPerMessage = 4;

    /// <summary>
    /// How long the express route's cached ranking is used before it is read again from the learning layer: a success of the
    /// top provider can only drift the scores (its latency), and a failure drops the cache at once.
    /// </summary>
    public static readonly TimeSpan RankingRefreshInterval = TimeSpan.FromSeconds(1);

    public const string SkipCost = "cost: estimated ";

    public const string SkipContextWindow = "context window: estimated ";

    public const string SkipBlacklisted = "blacklisted: authentication failed";

    public const string SkipEmergency = SkipReasons.NotEssentialInEmergency;
}
