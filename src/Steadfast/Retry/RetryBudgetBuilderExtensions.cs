using System.Diagnostics.CodeAnalysis;
using Polly;
using Polly.Retry;

namespace Steadfast;

/// <summary>
/// Puts a <see cref="RetryBudget"/> into a Polly pipeline, so the retries of the pipeline's retry strategy are limited
/// to a share of its calls (an outage then adds at most that share of load).
/// </summary>
/// <remarks>
/// Two parts work together. <see cref="AddSteadfastRetryBudget{TBuilder}"/> goes <em>before</em> (outside) the retry
/// strategy: it counts each execution as one call and carries the budget in the <see cref="ResilienceContext"/>. The retry
/// strategy asks the budget in its <c>ShouldHandle</c>, before each retry: Steadfast's
/// <see cref="RetryBuilderExtensions.AddSteadfastRetry(ResiliencePipelineBuilder, RetryOptions)"/> does so by itself; for Polly's own <c>AddRetry</c>, pass the
/// options through <see cref="WithSteadfastRetryBudget(RetryStrategyOptions)"/>. A refused retry ends the attempt loop at
/// once (no wait, no <c>OnRetry</c>), and the execution fails with <see cref="RetryBudgetExceededException"/> carrying the
/// failure that was not retried.
/// </remarks>
/// <example>
/// <code>
/// var budget = new RetryBudget("inventory");   // share it among the pipelines that call the same service
/// var pipeline = new ResiliencePipelineBuilder()
///     .AddSteadfastRetryBudget(budget)
///     .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3 }.WithSteadfastRetryBudget())
///     .Build();
/// </code>
/// </example>
public static class RetryBudgetBuilderExtensions
{
    /// <summary>
    /// Adds <paramref name="budget"/> to the pipeline: put it before the retry strategy. Each execution counts as one
    /// call; a retry beyond the budget is refused and the execution fails with <see cref="RetryBudgetExceededException"/>.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type (generic or not).</typeparam>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="budget">The budget; the same budget may be shared by several pipelines and policies.</param>
    /// <returns>The builder, for chaining.</returns>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Polly validates the options with data annotations; Options adds no member to ResilienceStrategyOptions, so trimming removes nothing it checks.")]
    public static TBuilder AddSteadfastRetryBudget<TBuilder>(this TBuilder builder, RetryBudget budget)
        where TBuilder : ResiliencePipelineBuilderBase
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(budget);
        return builder.AddStrategy(_ => new RetryBudgetStrategy(budget), new Options { Name = budget.Name });
    }

    /// <summary>
    /// Makes a Polly retry strategy ask the pipeline's retry budget (<see cref="AddSteadfastRetryBudget{TBuilder}"/>)
    /// before each retry, by wrapping its current <see cref="RetryStrategyOptions{TResult}.ShouldHandle"/>. Without a
    /// budget in the pipeline the retry behaves as before.
    /// </summary>
    /// <typeparam name="TResult">The pipeline's result type.</typeparam>
    /// <param name="options">The retry options; changed in place. Set <c>ShouldHandle</c> before calling this.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static RetryStrategyOptions<TResult> WithSteadfastRetryBudget<TResult>(this RetryStrategyOptions<TResult> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var shouldHandle = options.ShouldHandle ?? throw new ArgumentException("RetryStrategyOptions.ShouldHandle must not be null.", nameof(options));

        // MaxRetryAttempts is read per call, so a later change to the options is still honoured.
        options.ShouldHandle = async args =>
            await shouldHandle(args).ConfigureAwait(args.Context.ContinueOnCapturedContext)
            && RetryBudgetScope.AllowsRetry(args.Context, args.AttemptNumber, options.MaxRetryAttempts);
        return options;
    }

    /// <summary>
    /// Makes a Polly retry strategy ask the pipeline's retry budget (<see cref="AddSteadfastRetryBudget{TBuilder}"/>)
    /// before each retry, by wrapping its current <see cref="RetryStrategyOptions{TResult}.ShouldHandle"/>. Without a
    /// budget in the pipeline the retry behaves as before.
    /// </summary>
    /// <param name="options">The retry options; changed in place. Set <c>ShouldHandle</c> before calling this.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static RetryStrategyOptions WithSteadfastRetryBudget(this RetryStrategyOptions options)
    {
        WithSteadfastRetryBudget<object>(options);
        return options;
    }

    private sealed class Options : ResilienceStrategyOptions;
}
