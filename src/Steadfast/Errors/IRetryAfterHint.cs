namespace Steadfast;

/// <summary>
/// Implemented by exceptions that know when a retry may succeed (an HTTP 429 or 503 with <c>Retry-After</c>,
/// an open circuit, a rate limiter's rejection). Retry, the engine and the learning layer honour the hint.
/// </summary>
/// <remarks>
/// Exceptions you do not own can carry the same hint in <see cref="Exception.Data"/> under the key
/// <c>"RetryAfter"</c> as a <see cref="TimeSpan"/> or a number of seconds; see <see cref="ErrorClassifier.TryGetRetryAfter"/>.
/// </remarks>
public interface IRetryAfterHint
{
    /// <summary>How long to wait before trying again, or <see langword="null"/> when unknown.</summary>
    TimeSpan? RetryAfter { get; }
}
