using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>Adds Steadfast's retry (Polly's retry strategy configured from <see cref="RetryOptions"/>) to a Polly pipeline.</summary>
public static class RetryBuilderExtensions
{
    /// <summary>
    /// Adds a retry strategy that follows <paramref name="options"/>: <see cref="RetryOptions.MaxAttempts"/> attempts in
    /// all, exponential backoff with jitter capped at <see cref="RetryOptions.MaxDelay"/>, retry-after hints honoured,
    /// failures filtered as <see cref="RetryOptions"/> describes. Waits use the builder's <see cref="ResiliencePipelineBuilderBase.TimeProvider"/>.
    /// Before each retry it asks the retry budget of the pipeline (<see cref="RetryBudgetBuilderExtensions.AddSteadfastRetryBudget{TBuilder}"/>
    /// placed before it, or <see cref="RetryOptions.Budget"/>, for which a budget is added here).
    /// </summary>
    /// <param name="builder">The Polly builder.</param>
    /// <param name="options">The retry options; validated here.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static ResiliencePipelineBuilder AddSteadfastRetry(this ResiliencePipelineBuilder builder, RetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddSteadfastRetry(builder, options, builder.Name ?? RetryConstants.DefaultName, logger: null, onRetry: null, randomizer: null);
    }

    internal static ResiliencePipelineBuilder AddSteadfastRetry(
        ResiliencePipelineBuilder builder,
        RetryOptions options,
        string name,
        ILogger? logger,
        Action<OnRetryArguments>? onRetry,
        Func<double>? randomizer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var log = logger ?? NullLogger.Instance;
        if (options.Budget is { } budgetOptions)
        {
            // One budget per pipeline built; its refusals are logged where the retry logs.
            builder.AddSteadfastRetryBudget(new RetryBudget(name, budgetOptions, builder.TimeProvider ?? TimeProvider.System, log));
        }

        if (options.MaxAttempts == 1)
        {
            // Polly requires at least one retry; one attempt in all simply means no retry strategy.
            return builder;
        }

        var schedule = new RetrySchedule(options, randomizer ?? Random.Shared.NextDouble);
        var filter = new RetryFilter(options);
        var userCallback = options.OnRetry;
        var tags = PolicyTags.For(name);
        var maxRetryAttempts = options.MaxAttempts - 1;

        return builder.AddRetry(new RetryStrategyOptions
        {
            Name = name,
            MaxRetryAttempts = maxRetryAttempts,
            Delay = options.InitialDelay,
            MaxDelay = options.MaxDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = options.Jitter,
            // A failure that asks to be retried only after more than MaxDelay is not retried (the one retry-after rule, RetrySchedule).
            // The budget is asked last, only for a failure this retry would retry (RetryBudgetScope).
            ShouldHandle = args => new ValueTask<bool>(
                args.Outcome.Exception is { } ex
                && filter.ShouldHandle(ex, args.Context.CancellationToken)
                && !schedule.IsBeyondReach(ex)
                && RetryBudgetScope.AllowsRetry(args.Context, args.AttemptNumber, maxRetryAttempts)),
            DelayGenerator = args =>
            {
                var delay = schedule.GetDelay(args.AttemptNumber, args.Outcome.Exception, out var hint);
                if (hint is { } h)
                {
                    Log.RetryAfterHonoured(log, name, h.TotalMilliseconds, delay.TotalMilliseconds);
                }

                return new ValueTask<TimeSpan?>(delay);
            },
            OnRetry = args =>
            {
                RetryTelemetry.Retries.Add(1, tags);
                var exception = args.Outcome.Exception!;
                Log.RetryScheduled(log, name, args.AttemptNumber + 1, args.Duration.TotalMilliseconds, args.RetryDelay.TotalMilliseconds, exception);
                var info = new OnRetryArguments(name, args.AttemptNumber + 1, args.RetryDelay, args.Duration, exception);
                Subscribers.Invoke(userCallback, info, log, RetryConstants.OnRetryEvent);
                Subscribers.Invoke(onRetry, info, log, RetryConstants.OnRetryEvent);
                return default;
            },
        });
    }
}
