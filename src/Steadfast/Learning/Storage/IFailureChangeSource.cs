namespace Steadfast;

/// <summary>
/// Implemented by an <see cref="IFailureStore"/> that several processes share (the Redis store): it tells the
/// <see cref="FailureAnalyzer"/> of every process about the failures another process saved, so they count toward this
/// process's pattern detection and automatic blacklist at once, not only after a restart loads them.
/// </summary>
/// <remarks>
/// The analyzer subscribes when it is created and adds each failure to its in-memory history and to the streak of its
/// strategy (not to its statistics: the process that recorded the failure writes those). A store reports only failures
/// saved by other store instances, so no failure counts twice where it was recorded. Failures reported before the
/// analyzer's start-up load completed are ignored: the load reads them from the store.
/// </remarks>
public interface IFailureChangeSource
{
    /// <summary>Subscribes to the failures other processes save.</summary>
    /// <param name="onFailures">Called with each saved batch, off the caller's thread; must not block.</param>
    /// <returns>A subscription; disposing it stops the calls.</returns>
    IDisposable SubscribeFailures(Action<IReadOnlyList<Failure>> onFailures);
}
