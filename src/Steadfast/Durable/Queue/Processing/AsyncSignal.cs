namespace Steadfast;

/// <summary>
/// Wakes waiting workers. Take <see cref="WaitTask"/> before checking for work, then await it: a pulse between the
/// check and the wait still wakes the waiter, so no wake-up is lost.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WaitTask => Volatile.Read(ref _current).Task;

    public void Pulse()
    {
        var previous = Interlocked.Exchange(ref _current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
