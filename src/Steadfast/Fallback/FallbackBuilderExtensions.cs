using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Fallback;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>Adds Steadfast's fallback (Polly's fallback strategy) to a typed Polly pipeline.</summary>
public static class FallbackBuilderExtensions
{
    /// <summary>Adds a fallback that replaces failures (per <paramref name="options"/>) with <paramref name="fallback"/>'s result.</summary>
    /// <typeparam name="T">The pipeline's result type.</typeparam>
    /// <param name="builder">The Polly builder.</param>
    /// <param name="fallback">Produces the replacement result; it receives the caller's token.</param>
    /// <param name="options">When to fall back; <see langword="null"/> for every failure but the caller's cancellation.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ResiliencePipelineBuilder<T> AddSteadfastFallback<T>(
        this ResiliencePipelineBuilder<T> builder, Func<CancellationToken, ValueTask<T>> fallback, FallbackOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(fallback);
        return AddSteadfastFallback(builder, _ => fallback, options, builder.Name ?? FallbackConstants.DefaultName, logger: null, onUsed: null);
    }

    /// <summary>The fallback is resolved per execution so one pipeline can serve calls that each bring their own.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2091", Justification = "Polly asks to keep every member of TResult so its data-annotations " +
        "validation can read FallbackStrategyOptions<TResult>; this method sets the members that validation checks itself, so they stay, and it never " +
        "reads TResult's members.")]
    internal static ResiliencePipelineBuilder<T> AddSteadfastFallback<T>(
        ResiliencePipelineBuilder<T> builder,
        Func<ResilienceContext, Func<CancellationToken, ValueTask<T>>?> resolve,
        FallbackOptions? options,
        string name,
        ILogger? logger,
        Action<ResilienceContext>? onUsed)
    {
        options?.Validate();
        var shouldHandle = options?.ShouldHandle;
        var onFallback = options?.OnFallback;
        var log = logger ?? NullLogger.Instance;
        var tags = PolicyTags.For(name);

        return builder.AddFallback(new FallbackStrategyOptions<T>
        {
            Name = name,
            ShouldHandle = args => new ValueTask<bool>(
                args.Outcome.Exception is { } ex
                && !(ex is OperationCanceledException && args.Context.CancellationToken.IsCancellationRequested)
                && resolve(args.Context) is not null
                && (shouldHandle?.Invoke(ex) ?? true)),
            OnFallback = args =>
            {
                FallbackTelemetry.Invocations.Add(1, tags);
                var exception = args.Outcome.Exception!;
                Log.FallbackUsed(log, name, exception);
                Subscribers.Invoke(onFallback, new OnFallbackArguments(name, exception), log, FallbackConstants.OnFallbackEvent);
                return default;
            },
            FallbackAction = async args =>
            {
                var fallback = resolve(args.Context)!;
                onUsed?.Invoke(args.Context);
                try
                {
                    return Outcome.FromResult(await fallback(args.Context.CancellationToken).ConfigureAwait(args.Context.ContinueOnCapturedContext));
                }
#pragma warning disable CA1031 // The fallback's own failure becomes the outcome, as the operation's would have.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    return Outcome.FromException<T>(ex);
                }
            },
        });
    }
}
