namespace Steadfast;

/// <summary>
/// A store could not do its work. Every Steadfast store (in memory, files, SQLite, Redis) throws this one type, with
/// <see cref="Failure"/> saying what kind of trouble it is, <see cref="StoreName"/> and <see cref="Location"/> saying
/// which store, and a message saying what to do. Learning catches it and keeps working in memory; durable work
/// surfaces it to the caller, because a checkpoint or a queue item that was not stored must not look stored.
/// </summary>
public class StoreException : SteadfastException
{
    /// <summary>Creates the exception with a default message.</summary>
    public StoreException()
        : this(StoreFailure.Unknown, string.Empty, string.Empty, "A Steadfast store failed.", null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public StoreException(string message)
        : this(StoreFailure.Unknown, string.Empty, string.Empty, message, null)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public StoreException(string message, Exception? innerException)
        : this(StoreFailure.Unknown, string.Empty, string.Empty, message, innerException)
    {
    }

    /// <summary>Creates the exception for one store.</summary>
    /// <param name="failure">What kind of trouble it is.</param>
    /// <param name="storeName">The store's type name, for example <c>SqliteFailureStore</c>.</param>
    /// <param name="location">The file, directory or endpoint of the store.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    public StoreException(StoreFailure failure, string storeName, string location, string message, Exception? innerException)
        : base(message, innerException)
    {
        Failure = failure;
        StoreName = storeName ?? string.Empty;
        Location = location ?? string.Empty;
    }

    /// <summary>What kind of trouble the store is in.</summary>
    public StoreFailure Failure { get; }

    /// <summary>The store's type name, for example <c>SqliteFailureStore</c>; empty when not known.</summary>
    public string StoreName { get; }

    /// <summary>The file, directory or endpoint of the store that failed; empty when not known.</summary>
    public string Location { get; }

    /// <summary>Whether trying again later may succeed without anyone changing anything (unavailable or locked).</summary>
    public bool IsTransient => Failure is StoreFailure.Unavailable or StoreFailure.Locked;
}
