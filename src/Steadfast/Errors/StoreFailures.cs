namespace Steadfast;

/// <summary>Classifies what the file system throws, for the stores that keep files.</summary>
internal static class StoreFailures
{
    private const int LinuxNoSpace = 28;                         // ENOSPC
    private const int WindowsDiskFull = unchecked((int)0x80070070); // ERROR_DISK_FULL
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027); // ERROR_HANDLE_DISK_FULL

    /// <summary>Whether <paramref name="exception"/> is the file system refusing (as opposed to a bug).</summary>
    public static bool IsFileSystemError(Exception exception) => exception is IOException or UnauthorizedAccessException;

    /// <summary>The kind of store failure an I/O exception means.</summary>
    public static StoreFailure Classify(Exception exception) => exception switch
    {
        UnauthorizedAccessException => StoreFailure.ReadOnly,
        IOException { HResult: LinuxNoSpace or WindowsDiskFull or WindowsHandleDiskFull } => StoreFailure.Full,
        IOException => StoreFailure.Unavailable,
        _ => StoreFailure.Unknown,
    };
}
