namespace Steadfast;

/// <summary>
/// Thrown when a state (or a workflow step's result) serializes to more than the allowed size
/// (<see cref="CheckpointOptions.MaxSizeBytes"/>). Nothing was written: the previous checkpoint is kept.
/// </summary>
public sealed class CheckpointTooLargeException : SteadfastException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointTooLargeException()
        : base("The checkpoint is too large; nothing was written.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public CheckpointTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CheckpointTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a refused state.</summary>
    /// <param name="workflowId">The workflow whose state was refused.</param>
    /// <param name="sizeBytes">The serialized size.</param>
    /// <param name="maxSizeBytes">The limit.</param>
    public CheckpointTooLargeException(string workflowId, long sizeBytes, long maxSizeBytes)
        : base($"The checkpoint of workflow '{workflowId}' is {sizeBytes} bytes, over the limit of {maxSizeBytes} bytes (CheckpointOptions.MaxSizeBytes). Nothing was written; the previous checkpoint is kept. Keep large data outside the state (store a reference) or raise the limit.")
    {
        WorkflowId = workflowId;
        SizeBytes = sizeBytes;
        MaxSizeBytes = maxSizeBytes;
    }

    /// <summary>The workflow whose state was refused.</summary>
    public string? WorkflowId { get; }

    /// <summary>The serialized size in bytes.</summary>
    public long SizeBytes { get; }

    /// <summary>The limit in bytes.</summary>
    public long MaxSizeBytes { get; }
}
