using Microsoft.Extensions.Logging;
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

    /// <summary>Creates a policy.</summary>
    /// <param name="name">The name used in logs, metrics and <see cref="OnRetryArguments.Name"/>; <see langword="null"/> for <c>retry</c>.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults. Validated and copied here; later changes have no effect.</param>
    /// <param name="timeProvider">The clock used to wait; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where retries are logged (category <c>Steadfast.RetryPolicy</c>); <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentException">The name is empty or white space, or an option is invalid.</exception>
    public RetryPolicy(string? name = null, RetryOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        Name = Guard.NotNullOrWhiteSpace(name ?? RetryConstants.DefaultName, nameof(RetryPolicy), nameof(name));
        options = options?.Clone() ?? new RetryOptions();
        _logger = loggerFactory.CreateRedactingLogger<RetryPolicy>();
        var builder = new ResiliencePipelineBuilder { Name = Name, TimeProvider = timeProvider ?? TimeProvider.System };
        _pipeline = RetryBuilderExtensions
            .AddSteadfastRetry(builder, options, Name, _logger, RaiseRetrying, randomizer: null)
            .Build();
    }

    /// <summary>Raised before each wait, with the failed attempt's details; a throwing handler is logged and ignored.</summary>
    public event EventHandler<OnRetryArguments>? Retrying;

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

    private void RaiseRetrying(OnRetryArguments args) => Subscribers.Raise(Retrying, this, args, _logger, nameof(Retrying));
}
