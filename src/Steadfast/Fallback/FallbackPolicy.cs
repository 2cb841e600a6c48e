using Microsoft.Extensions.Logging;
using Polly;

namespace Steadfast;

/// <summary>
/// Replaces an operation's failure with a fallback result (a cached value, a degraded answer), built on Polly's
/// fallback strategy. The caller's cancellation is never replaced. Thread-safe.
/// </summary>
/// <typeparam name="T">The result type.</typeparam>
/// <example>
/// <code>
/// var quotes = new FallbackPolicy&lt;Quote&gt;(ct => cache.GetLastQuoteAsync(ct), "quotes");
/// var quote = await quotes.ExecuteAsync(ct => exchange.GetQuoteAsync(symbol, ct), cancellationToken);
/// </code>
/// </example>
public sealed class FallbackPolicy<T>
{
    // One category for every T: FallbackPolicy`1 would be an unfriendly logging category.
    private const string LoggerCategory = "Steadfast.FallbackPolicy";

    private readonly ResiliencePipeline<T> _pipeline;

    /// <summary>Creates a policy.</summary>
    /// <param name="fallback">Produces the replacement result; it receives the caller's token. If it throws, that exception surfaces.</param>
    /// <param name="name">The name used in logs, metrics and <see cref="OnFallbackArguments.Name"/>; <see langword="null"/> for <c>fallback</c>.</param>
    /// <param name="options">When to fall back; <see langword="null"/> for every failure. Validated and copied here; later changes have no effect.</param>
    /// <param name="timeProvider">The clock of the underlying Polly pipeline (its telemetry timings); <see langword="null"/> for <see cref="TimeProvider.System"/>. A fallback never waits.</param>
    /// <param name="loggerFactory">Where fallbacks are logged (category <c>Steadfast.FallbackPolicy</c>); <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fallback"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is empty or white space.</exception>
    public FallbackPolicy(
        Func<CancellationToken, ValueTask<T>> fallback,
        string? name = null,
        FallbackOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        Name = Guard.NotNullOrWhiteSpace(name ?? FallbackConstants.DefaultName, nameof(FallbackPolicy<T>), nameof(name));
        var builder = new ResiliencePipelineBuilder<T> { Name = Name, TimeProvider = timeProvider ?? TimeProvider.System };
        var logger = loggerFactory.CreateRedactingLogger(LoggerCategory);
        _pipeline = FallbackBuilderExtensions
            .AddSteadfastFallback(builder, _ => fallback, options?.Clone(), Name, logger, onUsed: null)
            .Build();
    }

    /// <summary>The policy's name.</summary>
    public string Name { get; }

    /// <summary>Runs <paramref name="operation"/>; on a handled failure returns the fallback's result instead.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The operation's result, or the fallback's.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public ValueTask<T> ExecuteAsync(Func<CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _pipeline.ExecuteAsync(static (op, ct) => op(ct), operation, cancellationToken);
    }
}
