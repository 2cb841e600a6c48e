namespace Steadfast.Events.Bus;

/// <summary>Completes once every subscription an acknowledged event went to has finished with it.</summary>
internal sealed class Acknowledgement
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;

    public Acknowledgement(int count) => _remaining = count;

    public Task Task => _done.Task;

    /// <summary>One subscription finished (its handler returned, threw, or it was disposed before running).</summary>
    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }
}
