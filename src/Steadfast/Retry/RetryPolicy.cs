using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Steadfast;

/// <summary>
/// Retries an operation with exponential backoff and jitter, honouring retry-after hints, built on Polly's retry
/// strategy. Thread-safe: one policy can serve many concurrent calls.
/// </summary>
/// <example>
/// <code>
/// var retry = new RetryPolicy("billing", new RetryOptions { MaxAttempts = 5, InitialDelay = TimeSpan.FromMilliseconds(200) });
/// var invoice = await retry.ExecuteAsync(ct => client.GetInvoiceAsync(id, ct), cancellationToken);
/// </code>
/// </example>
public sealed class RetryPolicy
{
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    /// <summary>Creates a policy named <c>retry</c>.</summary>
    /// <param name="options">The options; <see langword="null"/> for the defaults. Validated here; later changes have no effect.</param>
    /// <param name="timeProvider">The clock used to wait; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public RetryPolicy(RetryOptions? options = null, TimeProvider? timeProvider = null)
        : this(RetryConstants.DefaultName, options, timeProvider)
    {
    }

    /// <summary>Creates a named policy.</summary>
    /// <param name="name">The name used in logs, metrics and <see cref="RetryingArguments.Name"/>.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults. Validated here; later changes have no effect.</param>
    /// <param name="timeProvider">The clock used to wait; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where retries are logged; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">The name is blank or an option is invalid.</exception>
    public RetryPolicy(string name, RetryOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null)
        : this(name, options, timeProvider, logger, randomizer: null)
    {
    }

    internal RetryPolicy(string name, RetryOptions? options, TimeProvider? timeProvider, ILogger? logger, Func<double>? randomizer)
    {
        Name = Guard.NotNullOrWhiteSpace(name, nameof(RetryPolicy));
        _logger = logger ?? NullLogger.Instance;
        var builder = new ResiliencePipelineBuilder { Name = Name, TimeProvider = timeProvider ?? TimeProvider.System };
        _pipeline = RetryBuilderExtensions
            .AddSteadfastRetry(builder, options ?? new RetryOptions(), Name, _logger, RaiseRetrying, randomizer)
            .Build();
    }

    /// <summary>Raised before each wait, with the failed attempt's details; a throwing handler is logged and ignored.</summary>
    public event EventHandler<RetryingArguments>? Retrying;

    /// <summary>The policy's name.</summary>
    public string Name { get; }

    /// <summary>Runs <paramref name="operation"/>, retrying failures the options allow.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The operation; it receives the caller's token.</param>
    /// <param name="cancellationToken">Stops the operation and any wait at once.</param>
    /// <returns>The first successful result.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    /// <remarks>When every attempt fails, or a failure is not retried, the last exception is rethrown.</remarks>
    public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _pipeline.ExecuteAsync(static (op, ct) => op(ct), operation, cancellationToken);
    }

    /// <summary>Runs <paramref name="operation"/>, retrying failures the options allow.</summary>
    /// <param name="operation">The operation; it receives the caller's token.</param>
    /// <param name="cancellationToken">Stops the operation and any wait at once.</param>
    /// <returns>A task that completes when an attempt succeeds.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _pipeline.ExecuteAsync(static (op, ct) => op(ct), operation, cancellationToken);
    }

    /// <summary>Runs a synchronous <paramref name="operation"/>, blocking the calling thread during waits.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The operation; it receives the caller's token.</param>
    /// <param name="cancellationToken">Stops any wait at once.</param>
    /// <returns>The first successful result.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public T Execute<T>(Func<CancellationToken, T> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _pipeline.Execute(static (op, ct) => op(ct), operation, cancellationToken);
    }

    /// <summary>Runs a synchronous <paramref name="operation"/>, blocking the calling thread during waits.</summary>
    /// <param name="operation">The operation; it receives the caller's token.</param>
    /// <param name="cancellationToken">Stops any wait at once.</param>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public void Execute(Action<CancellationToken> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        _pipeline.Execute(static (op, ct) => op(ct), operation, cancellationToken);
    }

    private void RaiseRetrying(RetryingArguments args) => Subscribers.Raise(Retrying, this, args, _logger, nameof(Retrying));
}
