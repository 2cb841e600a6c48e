using System.Diagnostics.CodeAnalysis;
using Polly;

namespace Steadfast;

/// <summary>
/// A pass-through Polly strategy that rewrites an exceptional outcome: Polly's own rejections become
/// Steadfast's typed exceptions (or, for a timeout configured to return a default, a result), so code inside
/// and outside a pipeline sees the same exceptions.
/// </summary>
internal sealed class OutcomeTranslationStrategy : ResilienceStrategy
{
    private readonly Func<Exception, ResilienceContext, Translation> _translate;

    public OutcomeTranslationStrategy(Func<Exception, ResilienceContext, Translation> translate) => _translate = translate;

    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        if (outcome.Exception is not { } exception)
        {
            return outcome;
        }

        var translation = _translate(exception, context);
        return translation.Kind switch
        {
            TranslationKind.Replace => Outcome.FromException<TResult>(translation.Exception!),
            TranslationKind.ReturnDefault => Outcome.FromResult(translation.Value is TResult value ? value : default!),
            _ => outcome,
        };
    }

    /// <summary>Adds the strategy to a builder; the options object only satisfies Polly's builder API.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Polly validates the options with data annotations; Options adds no member to ResilienceStrategyOptions, so trimming removes nothing it checks.")]
    public static TBuilder Add<TBuilder>(TBuilder builder, string name, Func<Exception, ResilienceContext, Translation> translate)
        where TBuilder : ResiliencePipelineBuilderBase
        => builder.AddStrategy(_ => new OutcomeTranslationStrategy(translate), new Options { Name = name });

    public enum TranslationKind
    {
        Keep,
        Replace,
        ReturnDefault,
    }

    public readonly record struct Translation(TranslationKind Kind, Exception? Exception = null, object? Value = null)
    {
        public static Translation Keep => default;

        public static Translation Replace(Exception exception) => new(TranslationKind.Replace, exception);

        public static Translation ReturnDefault(object? value) => new(TranslationKind.ReturnDefault, null, value);
    }

    private sealed class Options : ResilienceStrategyOptions;
}
