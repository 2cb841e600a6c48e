namespace Steadfast.Sqlite;

/// <summary>One unit of work queued on a <see cref="SqliteWriter"/>: run inside a batch's transaction, completed after its commit.</summary>
internal abstract class SqliteWriteOperation(string store, string name)
{
    public string Store { get; } = store;

    public string Name { get; } = name;

    public abstract bool TryCancel();

    public abstract void Run(SqliteWriter writer);

    public abstract void SetError(Exception error);

    public abstract void Fail(Exception error);

    public abstract void Complete();
}

/// <summary>An operation with a result of type <typeparamref name="T"/>, which completes its task once the batch committed.</summary>
internal sealed class SqliteWriteOperation<T>(string store, string name, Func<SqliteWriter, T> work, CancellationToken cancellationToken) : SqliteWriteOperation(store, name)
{
    private T _result = default!;
    private Exception? _error;

    public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override bool TryCancel()
        => cancellationToken.IsCancellationRequested && Completion.TrySetCanceled(cancellationToken);

    public override void Run(SqliteWriter writer) => _result = work(writer);

    public override void SetError(Exception error) => _error = error;

    public override void Fail(Exception error) => Completion.TrySetException(error);

    public override void Complete()
    {
        if (_error is null)
        {
            Completion.TrySetResult(_result);
        }
        else
        {
            Completion.TrySetException(_error);
        }
    }
}
