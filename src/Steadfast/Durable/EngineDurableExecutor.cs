using System.Runtime.ExceptionServices;

namespace Steadfast;

/// <summary>
/// Runs operations through the engine. The engine reports failure in its result; here a failure becomes the exception
/// it carries again (the step or delivery fails with the operation's own error, so workflows record it and queues
/// retry or dead-letter it).
/// </summary>
internal sealed class EngineDurableExecutor(ResilienceEngine engine) : IDurableExecutor
{
    public async Task<T> ExecuteAsync<T>(string operationName, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var result = await engine.ExecuteAsync(operation, operationName, context: null, cancellationToken).ConfigureAwait(false);
        if (result.Success)
        {
            return result.Value!;
        }

        if (result.Error is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        throw new SteadfastException(
            $"The resilience engine gave up on '{operationName}' ({result.StopReason}) without an error to report. " +
            string.Join(" ", result.Recommendations));
    }
}
