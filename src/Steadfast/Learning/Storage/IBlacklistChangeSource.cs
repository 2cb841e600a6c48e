namespace Steadfast;

/// <summary>
/// Implemented by an <see cref="IFailureStore"/> that several processes share (the Redis store): it tells the
/// <see cref="FailureAnalyzer"/> of every process about blacklist entries another process added, lifted or removed, so a
/// strategy one machine found dead is skipped by all of them at once rather than after their own failures.
/// </summary>
/// <remarks>
/// The analyzer subscribes when it is created and applies each change to its in-memory blacklist. A store reports only
/// changes made by other store instances (its own writes are already in the analyzer that made them).
/// </remarks>
public interface IBlacklistChangeSource
{
    /// <summary>Subscribes to the blacklist changes other processes make.</summary>
    /// <param name="onChange">Called for each change, off the caller's thread; must not block.</param>
    /// <returns>A subscription; disposing it stops the calls.</returns>
    IDisposable SubscribeBlacklistChanges(Action<BlacklistChange> onChange);
}
