namespace Steadfast;

/// <summary>
/// Runs a workflow step or a queue handler: through the <see cref="ResilienceEngine"/> when one is given
/// (retries, circuits, budgets, learning), directly otherwise.
/// </summary>
internal interface IDurableExecutor
{
    Task<T> ExecuteAsync<T>(string operationName, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken);

    static IDurableExecutor For(ResilienceEngine? engine) => engine is null ? DirectDurableExecutor.Instance : new EngineDurableExecutor(engine);
}
