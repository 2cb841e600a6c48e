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
/// var quotes = new FallbackPolicy&lt;Quote&gt;("quotes", ct => cache.GetLastQuoteAsync(ct));
/// var quote = await quotes.ExecuteAsync(ct => exchange.GetQuoteAsync(symbol, ct), cancellationToken);
/// </code>
/// </example>
public sealed class FallbackPolicy<T>
{
    private readonly ResiliencePipeline<T> _pipeline;

    /// <summary>Creates a policy.</summary>
    /// <param name="name">The name used in logs and metrics.</param>
    /// <param name="fallback">Produces the replacement result; it receives the caller's token. If it throws, that exception surfaces.</param>
    /// <param name="options">When to fall back; <see langword="null"/> for every failure.</param>
    /// <param name="logger">Where fallbacks are logged; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">The name is blank.</exception>
    public FallbackPolicy(string name, Func<CancellationToken, ValueTask<T>> fallback, FallbackOptions? options = null, ILogger? logger = null)
    {
        Name = Guard.NotNullOrWhiteSpace(name, nameof(FallbackPolicy<T>));
        ArgumentNullException.ThrowIfNull(fallback);
        _pipeline = FallbackBuilderExtensions
            .AddSteadfastFallback(new ResiliencePipelineBuilder<T> { Name = Name }, _ => fallback, options, Name, logger, onUsed: null)
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
