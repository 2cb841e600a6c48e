namespace Steadfast;

/// <summary>
/// Runs a workflow step or a queue handler. The seam through which steps and handlers run through the
/// resilience engine (retries, circuits) when one is given; without one they run directly.
/// </summary>
internal interface IDurableExecutor
{
    Task<T> ExecuteAsync<T>(string operationName, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken);
}

/// <summary>Runs operations as they are: no engine.</summary>
internal sealed class DirectExecutor : IDurableExecutor
{
    public static readonly DirectExecutor Instance = new();

    public Task<T> ExecuteAsync<T>(string operationName, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
        => operation(cancellationToken);
}
