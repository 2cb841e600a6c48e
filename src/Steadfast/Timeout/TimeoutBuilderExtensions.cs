using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Timeout;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>Adds Steadfast's timeout (Polly's timeout strategy configured from <see cref="TimeoutOptions"/>) to a Polly pipeline.</summary>
public static class TimeoutBuilderExtensions
{
    /// <summary>
    /// Adds a timeout that follows <paramref name="options"/>: on timeout it calls <see cref="TimeoutOptions.OnTimeout"/>,
    /// then throws <see cref="OperationTimeoutException"/> (instead of Polly's <see cref="TimeoutRejectedException"/>) or
    /// returns the default value, as <see cref="TimeoutOptions.Behavior"/> says.
    /// </summary>
    /// <param name="builder">The Polly builder.</param>
    /// <param name="options">The timeout options; validated here.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static ResiliencePipelineBuilder AddSteadfastTimeout(this ResiliencePipelineBuilder builder, TimeoutOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return AddSteadfastTimeout(builder, options, builder.Name ?? TimeoutConstants.DefaultName, logger: null);
    }

    internal static TBuilder AddSteadfastTimeout<TBuilder>(TBuilder builder, TimeoutOptions options, string name, ILogger? logger)
        where TBuilder : ResiliencePipelineBuilderBase
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var timeout = options.Timeout;
        var behavior = options.Behavior;
        var defaultValue = options.DefaultValue;
        var userCallback = options.OnTimeout;
        var log = logger ?? NullLogger.Instance;
        var tags = PolicyTags.For(name);

        // Translation sits outside Polly's timeout so it sees Polly's rejection and nothing else of it.
        OutcomeTranslationStrategy.Add(builder, name + ".timeout-translation", (exception, _) => exception switch
        {
            TimeoutRejectedException when behavior == TimeoutBehavior.ReturnDefault
                => OutcomeTranslationStrategy.Translation.ReturnDefault(defaultValue),
            TimeoutRejectedException rejected
                => OutcomeTranslationStrategy.Translation.Replace(new OperationTimeoutException(name, timeout, rejected)),
            _ => OutcomeTranslationStrategy.Translation.Keep,
        });

        return builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = name,
            Timeout = timeout,
            OnTimeout = args =>
            {
                TimeoutTelemetry.Timeouts.Add(1, tags);
                Log.OperationTimedOut(log, name, args.Timeout.TotalMilliseconds);
                Subscribers.Invoke(userCallback, new OnTimeoutArguments(name, args.Timeout), log, TimeoutConstants.OnTimeoutEvent);
                return default;
            },
        });
    }
}
