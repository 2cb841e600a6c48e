using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;

namespace Steadfast;

/// <summary>
/// A bulkhead and/or token-bucket rate limit built on System.Threading.RateLimiting through Polly.RateLimiting.
/// Calls beyond the limit (and its queue) fail fast with <see cref="RateLimitRejectedException"/>. Thread-safe;
/// dispose it to stop its refill timer and release queued callers.
/// </summary>
/// <example>
/// <code>
/// await using var limit = new RateLimitPolicy("geo-api", new RateLimitOptions { MaxConcurrentCalls = 8, TokensPerPeriod = 50 });
/// var place = await limit.ExecuteAsync(ct => geo.LookupAsync(ip, ct), cancellationToken);
/// </code>
/// </example>
public sealed class RateLimitPolicy : IDisposable, IAsyncDisposable
{
    private readonly ConcurrencyLimiter? _concurrency;
    private readonly TokenBucketRateLimiter? _tokens;
    private readonly ITimer? _refill;
    private readonly ResiliencePipeline _pipeline;
    private int _disposed;

    /// <summary>Creates a policy.</summary>
    /// <param name="name">The name used in logs, metrics and <see cref="RateLimitRejectedException.LimiterName"/>.</param>
    /// <param name="options">The limits. Validated here; later changes have no effect.</param>
    /// <param name="timeProvider">The clock that refills the token bucket; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where rejections are logged; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">The name is blank or an option is invalid.</exception>
    public RateLimitPolicy(string name, RateLimitOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        Name = Guard.NotNullOrWhiteSpace(name, nameof(RateLimitPolicy));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        timeProvider ??= TimeProvider.System;

        if (options.MaxConcurrentCalls is { } permits)
        {
            _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = permits,
                QueueLimit = options.QueueLength,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        if (options.TokensPerPeriod is { } tokensPerPeriod)
        {
            // The runtime's bucket refills on its own System timer; refilling it from the injected TimeProvider keeps
            // tests (FakeTimeProvider) and production on one clock.
            _tokens = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.BurstSize ?? tokensPerPeriod,
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = options.ReplenishmentPeriod,
                QueueLimit = options.QueueLength,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = false,
            });
            var bucket = _tokens;
            _refill = timeProvider.CreateTimer(static state => ((TokenBucketRateLimiter)state!).TryReplenish(), bucket, options.ReplenishmentPeriod, options.ReplenishmentPeriod);
        }

        Limiter = (_tokens, _concurrency) switch
        {
            ({ } t, { } c) => RateLimiter.CreateChained(t, c),
            ({ } t, null) => t,
            (null, { } c) => c,
            _ => throw new InvalidOperationException("Validated options set at least one limit."),
        };

        var builder = new ResiliencePipelineBuilder { Name = Name, TimeProvider = timeProvider };
        _pipeline = RateLimitBuilderExtensions.AddSteadfastRateLimiter(builder, Limiter, Name, logger).Build();
    }

    /// <summary>The policy's name.</summary>
    public string Name { get; }

    /// <summary>The underlying limiter (chained when both limits are set), for statistics or an own pipeline.</summary>
    internal RateLimiter Limiter { get; }

    /// <summary>Permits the concurrency limit has free right now, or <see langword="null"/> without a concurrency limit.</summary>
    public long? AvailableConcurrency => _concurrency?.GetStatistics()?.CurrentAvailablePermits;

    /// <summary>Tokens in the bucket right now, or <see langword="null"/> without a rate limit.</summary>
    public long? AvailableTokens => _tokens?.GetStatistics()?.CurrentAvailablePermits;

    /// <summary>Runs <paramref name="operation"/> once a permit is granted.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">The caller's token; also stops waiting in the queue.</param>
    /// <returns>The operation's result.</returns>
    /// <exception cref="RateLimitRejectedException">No permit was free and the queue was full.</exception>
    public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _pipeline.ExecuteAsync(static (op, ct) => op(ct), operation, cancellationToken);
    }

    /// <summary>Runs <paramref name="operation"/> once a permit is granted.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">The caller's token; also stops waiting in the queue.</param>
    /// <returns>A task that completes when the operation does.</returns>
    /// <exception cref="RateLimitRejectedException">No permit was free and the queue was full.</exception>
    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _pipeline.ExecuteAsync(static (op, ct) => op(ct), operation, cancellationToken);
    }

    /// <summary>Stops the refill timer and disposes the limiters, failing callers still queued. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _refill?.Dispose();
        if (!ReferenceEquals(Limiter, _tokens) && !ReferenceEquals(Limiter, _concurrency))
        {
            Limiter.Dispose();
        }

        _tokens?.Dispose();
        _concurrency?.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }
}
