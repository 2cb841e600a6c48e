using Microsoft.Extensions.Logging;
using Polly;

namespace Steadfast;

/// <summary>
/// Limits how long an operation may run, built on Polly's timeout strategy. On timeout the operation's token is
/// cancelled and the policy throws <see cref="OperationTimeoutException"/> or returns a default value
/// (<see cref="TimeoutOptions.Behavior"/>). Thread-safe.
/// </summary>
/// <example>
/// <code>
/// var timeout = new TimeoutPolicy("search", new TimeoutOptions { Timeout = TimeSpan.FromSeconds(5) });
/// var hits = await timeout.ExecuteAsync(ct => index.SearchAsync(query, ct), cancellationToken);
/// </code>
/// </example>
public sealed class TimeoutPolicy
{
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates a policy.</summary>
    /// <param name="name">The name used in logs, metrics and <see cref="OperationTimeoutException.OperationName"/>; <see langword="null"/> for <c>timeout</c>.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults. Validated and copied here; later changes have no effect.</param>
    /// <param name="timeProvider">The clock that measures the timeout; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where timeouts are logged (category <c>Steadfast.TimeoutPolicy</c>); <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentException">The name is empty or white space, or an option is invalid.</exception>
    public TimeoutPolicy(string? name = null, TimeoutOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        Name = Guard.NotNullOrWhiteSpace(name ?? TimeoutConstants.DefaultName, nameof(TimeoutPolicy), nameof(name));
        options = options?.Clone() ?? new TimeoutOptions();
        Timeout = options.Timeout;
        var builder = new ResiliencePipelineBuilder { Name = Name, TimeProvider = timeProvider ?? TimeProvider.System };
        _pipeline = TimeoutBuilderExtensions.AddSteadfastTimeout(builder, options, Name, loggerFactory.CreateRedactingLogger<TimeoutPolicy>()).Build();
    }

    /// <summary>The policy's name.</summary>
    public string Name { get; }

    /// <summary>The timeout each execution gets.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Runs <paramref name="operation"/> with the timeout.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The operation; its token is cancelled on timeout or when the caller cancels.</param>
    /// <param name="cancellationToken">The caller's token; its cancellation surfaces as <see cref="OperationCanceledException"/>.</param>
    /// <returns>The result, or the default value on timeout with <see cref="TimeoutBehavior.ReturnDefault"/>.</returns>
    /// <exception cref="OperationTimeoutException">The operation timed out and the behaviour is <see cref="TimeoutBehavior.Throw"/>.</exception>
    public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _pipeline.ExecuteAsync(static (op, ct) => op(ct), operation, cancellationToken);
    }

    /// <summary>Runs <paramref name="operation"/> with the timeout.</summary>
    /// <param name="operation">The operation; its token is cancelled on timeout or when the caller cancels.</param>
    /// <param name="cancellationToken">The caller's token; its cancellation surfaces as <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when the operation does (or times out with <see cref="TimeoutBehavior.ReturnDefault"/>).</returns>
    /// <exception cref="OperationTimeoutException">The operation timed out and the behaviour is <see cref="TimeoutBehavior.Throw"/>.</exception>
    public ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _pipeline.ExecuteAsync(static (op, ct) => op(ct), operation, cancellationToken);
    }
}
