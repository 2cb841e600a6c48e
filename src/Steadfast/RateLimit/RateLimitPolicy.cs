using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;

namespace Steadfast;

/// <summary>
/// A bulkhead and/or token-bucket rate limit built on System.Threading.RateLimiting through Polly.RateLimiting.
/// Calls beyond the limit (and its queue) fail fast with <see cref="RateLimitRejectedException"/>. Thread-safe;
/// dispose it to release queued callers.
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
    private readonly ClockTokenBucket? _tokens;
    private readonly ResiliencePipeline _pipeline;
    private int _disposed;

    /// <summary>Creates a policy.</summary>
    /// <param name="name">The name used in logs, metrics and <see cref="RateLimitRejectedException.LimiterName"/>; <see langword="null"/> for <c>rate-limit</c>.</param>
    /// <param name="options">The limits (required: a rate limit has no sensible default). Validated and copied here; later changes have no effect.</param>
    /// <param name="timeProvider">The clock the token bucket refills by; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where rejections are logged (category <c>Steadfast.RateLimitPolicy</c>); <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is empty or white space, or an option is invalid.</exception>
    public RateLimitPolicy(string? name, RateLimitOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(name, options, timeProvider, loggerFactory.CreateRedactingLogger<RateLimitPolicy>())
    {
    }

    /// <summary>For an executor, whose rejections are logged under the executor's own category.</summary>
    internal RateLimitPolicy(string? name, RateLimitOptions options, TimeProvider? timeProvider, ILogger? logger)
    {
        Name = Guard.NotNullOrWhiteSpace(name ?? RateLimitConstants.DefaultName, nameof(RateLimitPolicy), nameof(name));
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone();
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
            _tokens = new ClockTokenBucket(options.BurstSize ?? tokensPerPeriod, tokensPerPeriod, options.ReplenishmentPeriod, timeProvider);
        }

        Limiter = (_tokens, _concurrency) switch
        {
            // Concurrency first: if the bucket then rejects, the slot is handed back; a token, once taken, is not.
            ({ } t, { } c) => RateLimiter.CreateChained(c, t),
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

    /// <summary>Disposes the limiters, failing callers still queued. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

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
