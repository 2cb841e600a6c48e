using Steadfast.AspNetCore.Http;

namespace Steadfast;

/// <summary>
/// How Steadfast handles the requests of one <see cref="HttpClient"/> (<c>AddSteadfastResilienceHandler</c>,
/// <c>AddSteadfastFailover</c>). Bound from the configuration section <c>Steadfast:Http:&lt;client name&gt;</c> and reloaded
/// when it changes: every option applies to the next request without a restart.
/// </summary>
public sealed class SteadfastHttpClientOptions
{
    private const string Owner = nameof(SteadfastHttpClientOptions);

    /// <summary>Whether Steadfast handles the client's requests; when off they go straight through, to the first endpoint.</summary>
    /// <value>The default is the Steadfast section's <c>Enabled</c> (the seed's <c>RESILIENCE_ENABLED</c>), or <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>The operation name the engine learns, keys circuits on (<c>operation/strategy</c>) and reports; <see langword="null"/> for the client's name.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? OperationName { get; set; }

    /// <summary>
    /// The engine's options for the client's requests: <see cref="ResilienceOptions.MaxAttempts"/> per endpoint, the backoff,
    /// <see cref="ResilienceOptions.StrategyTimeout"/> per attempt, <see cref="ResilienceOptions.MaxTotalTime"/> per request,
    /// <see cref="ResilienceOptions.MaxParallelStrategies"/> and <see cref="ResilienceOptions.HedgeDelay"/> for failover races and hedges.
    /// </summary>
    /// <value>The default: 3 attempts, backoff from 1 s up to 30 s, 10 s per attempt, 30 s per request, no creative solving, no progress events.</value>
    public ResilienceOptions Engine { get; set; } = DefaultEngine();

    /// <summary>
    /// Which responses are failures to handle (retried, counted against the circuit, learned); any other response is returned
    /// to the caller as it is. Exceptions (connection refused, a timed-out attempt) are always handled.
    /// </summary>
    /// <value>The default, when <see langword="null"/>: 5xx, 408 (Request Timeout) and 429 (Too Many Requests).</value>
    public Func<HttpResponseMessage, bool>? ShouldHandle { get; set; }

    /// <summary>The largest request body buffered so it can be sent again; a larger one fails the request with <see cref="HttpRequestException"/>.</summary>
    /// <value>The default is 16 MiB.</value>
    public long MaxRequestContentBytes { get; set; } = SteadfastHttpConstants.DefaultMaxRequestContentBytes;

    /// <summary>Whether <paramref name="response"/> is a failure by the default rule: 5xx, 408 or 429.</summary>
    /// <param name="response">The response.</param>
    /// <returns><see langword="true"/> for a transient failure.</returns>
    public static bool IsTransientFailure(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        return status is >= 500 or 408 or 429;
    }

    /// <summary>Checks every option; throws on the first invalid one.</summary>
    /// <exception cref="ArgumentException">A value is invalid; the message names <c>Type.Property</c>, the value and the allowed range.</exception>
    public void Validate()
    {
        if (OperationName is not null)
        {
            Guard.NotNullOrWhiteSpace(OperationName, Owner);
        }

        Guard.InRange(MaxRequestContentBytes, 0L, int.MaxValue, Owner);
        Guard.That(Engine is not null, Engine, "must be set", Owner);
        Engine!.Validate();
    }

    /// <summary>Copies the options, including <see cref="Engine"/>, so changes to the copy do not reach the original.</summary>
    /// <returns>A copy.</returns>
    public SteadfastHttpClientOptions Clone()
    {
        var copy = (SteadfastHttpClientOptions)MemberwiseClone();
        copy.Engine = Engine?.Clone()!;
        return copy;
    }

    private static ResilienceOptions DefaultEngine() => new()
    {
        MaxAttempts = SteadfastHttpConstants.DefaultMaxAttempts,
        InitialDelay = SteadfastHttpConstants.DefaultInitialDelay,
        MaxDelay = SteadfastHttpConstants.DefaultMaxDelay,
        StrategyTimeout = SteadfastHttpConstants.DefaultAttemptTimeout,
        MaxTotalTime = SteadfastHttpConstants.DefaultTotalTimeout,
        EnableCreativeSolving = false,
        EnableProgressTracking = false,
    };
}
