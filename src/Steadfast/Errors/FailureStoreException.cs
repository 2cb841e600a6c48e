namespace Steadfast;

/// <summary>
/// A store could not do its work: the file or server is unreachable, locked, read-only or corrupt. The
/// message names the store and what to do. <see cref="FailureAnalyzer"/> catches it and keeps working in memory.
/// </summary>
public class FailureStoreException : SteadfastException
{
    /// <summary>Creates the exception with a default message.</summary>
    public FailureStoreException()
        : base("The failure store failed.")
    {
        Location = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public FailureStoreException(string message)
        : base(message)
    {
        Location = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public FailureStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Location = string.Empty;
    }

    /// <summary>Creates the exception for a store at a location.</summary>
    /// <param name="location">The file or endpoint of the store.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public FailureStoreException(string location, string message, Exception? innerException)
        : base(message, innerException)
    {
        Location = location;
    }

    /// <summary>The file or endpoint of the store that failed.</summary>
    public string Location { get; }
}
