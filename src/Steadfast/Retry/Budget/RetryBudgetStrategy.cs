using System.Runtime.CompilerServices;
using Polly;

namespace Steadfast;

/// <summary>
/// The Polly strategy of <see cref="RetryBudgetBuilderExtensions.AddSteadfastRetryBudget{TBuilder}"/>: counts each
/// execution as one call, lends its budget to the retry strategies inside it (<see cref="RetryBudgetScope"/>), and
/// turns an outcome whose retry the budget refused into a <see cref="RetryBudgetExceededException"/>.
/// </summary>
internal sealed class RetryBudgetStrategy(RetryBudget budget) : ResilienceStrategy
{
    protected override ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        // The same budget further out (a pipeline in a pipeline, or RetryOptions.Budget under AddSteadfastRetryBudget)
        // has counted this call already and will report the refusal.
        return ReferenceEquals(RetryBudgetScope.Current(context), budget)
            ? callback(context, state)
            : ExecuteInScopeAsync(budget, callback, context, state);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Outcome<TResult>> ExecuteInScopeAsync<TResult, TState>(
        RetryBudget budget, Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        budget.RecordCall();
        var properties = context.Properties;
        var outerBudget = RetryBudgetScope.Current(context);
        properties.TryGetValue(RetryBudgetScope.RefusedBy, out var outerRefusal);
        properties.Set(RetryBudgetScope.Budget, budget);
        properties.Set(RetryBudgetScope.RefusedBy, null);

        Outcome<TResult> outcome;
        try
        {
            outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
#pragma warning disable CA1031 // Polly strategies report exceptions as outcomes instead of throwing them.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = Outcome.FromException<TResult>(ex);
        }

        properties.TryGetValue(RetryBudgetScope.RefusedBy, out var refusedBy);
        properties.Set(RetryBudgetScope.Budget, outerBudget);
        properties.Set(RetryBudgetScope.RefusedBy, outerRefusal);

        if (!ReferenceEquals(refusedBy, budget))
        {
            return outcome;
        }

        if (outcome.Exception is { } failure)
        {
            return Outcome.FromException<TResult>(new RetryBudgetExceededException(budget.Name, failure, lastResult: null));
        }

        // The caller gets the exception instead of the handled result, so nobody else will dispose it (Polly's retry
        // disposes the results it drops the same way).
        switch (outcome.Result)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(context.ContinueOnCapturedContext);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        return Outcome.FromException<TResult>(new RetryBudgetExceededException(budget.Name, null, ResultDescription<TResult>.Text));
    }

    private static class ResultDescription<TResult>
    {
        public static readonly string Text = $"a {typeof(TResult).Name} result the retry handles";
    }
}
