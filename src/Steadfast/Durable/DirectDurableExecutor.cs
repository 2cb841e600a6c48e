namespace Steadfast;

/// <summary>Runs operations as they are: no engine.</summary>
internal sealed class DirectDurableExecutor : IDurableExecutor
{
    public static readonly DirectDurableExecutor Instance = new();

    public Task<T> ExecuteAsync<T>(string operationName, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
        => operation(cancellationToken);
}
