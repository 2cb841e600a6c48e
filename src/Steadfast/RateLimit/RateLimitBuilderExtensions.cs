using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.RateLimiting;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>Adds a <see cref="RateLimitPolicy"/>'s limits to a Polly pipeline (Polly.RateLimiting underneath).</summary>
public static class RateLimitBuilderExtensions
{
    /// <summary>
    /// Adds <paramref name="policy"/>'s limiter; rejections surface as <see cref="RateLimitRejectedException"/> instead
    /// of Polly's <see cref="RateLimiterRejectedException"/>. The policy keeps owning the limiter: dispose it, not the pipeline.
    /// </summary>
    /// <param name="builder">The Polly builder.</param>
    /// <param name="policy">The policy whose limits to apply; pipelines that share it share its permits.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ResiliencePipelineBuilder AddSteadfastRateLimiter(this ResiliencePipelineBuilder builder, RateLimitPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(policy);
        return AddSteadfastRateLimiter(builder, policy.Limiter, policy.Name, logger: null);
    }

    internal static TBuilder AddSteadfastRateLimiter<TBuilder>(TBuilder builder, RateLimiter limiter, string name, ILogger? logger)
        where TBuilder : ResiliencePipelineBuilderBase
    {
        var log = logger ?? NullLogger.Instance;
        var tags = PolicyTags.For(name);

        OutcomeTranslationStrategy.Add(builder, name + ".ratelimit-translation", (exception, _) => exception is RateLimiterRejectedException rejected
            ? OutcomeTranslationStrategy.Translation.Replace(new RateLimitRejectedException(name, rejected.RetryAfter, rejected))
            : OutcomeTranslationStrategy.Translation.Keep);

        return builder.AddRateLimiter(new RateLimiterStrategyOptions
        {
            Name = name,
            RateLimiter = args => limiter.AcquireAsync(1, args.Context.CancellationToken),
            OnRejected = args =>
            {
                RateLimitTelemetry.Rejections.Add(1, tags);
                var retryAfter = args.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait.TotalMilliseconds : -1;
                Log.RateLimitRejected(log, name, retryAfter);
                return default;
            },
        });
    }
}
