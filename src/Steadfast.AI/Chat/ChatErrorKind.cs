namespace Steadfast;

/// <summary>What kind of failure a provider's error is, as <see cref="ChatErrorClassifier"/> judges it.</summary>
public enum ChatErrorKind
{
    /// <summary>Nothing more specific is known; treated as transient.</summary>
    Other,

    /// <summary>HTTP 429 or a rate-limit rejection: the provider is up; it is deferred until its retry-after, not counted as down.</summary>
    RateLimited,

    /// <summary>HTTP 5xx or a network failure: retried with backoff, counted against the provider's circuit.</summary>
    ServerError,

    /// <summary>The call took too long: retried, counted against the provider's circuit.</summary>
    Timeout,

    /// <summary>HTTP 401/403: the provider is blacklisted until the entry is removed, and an operator alert is raised.</summary>
    Authentication,

    /// <summary>The request is too long for the model: fails over only to providers with a larger <see cref="ChatProvider.MaxContextTokens"/>.</summary>
    ContextWindow,

    /// <summary>The provider refused the content: fails over only to providers marked <see cref="ChatProvider.ContentPolicyFallback"/>.</summary>
    ContentPolicy,

    /// <summary>Any other HTTP 4xx: the request is wrong; not retried on the same provider.</summary>
    InvalidRequest,
}
