namespace Steadfast;

/// <summary>
/// Thrown by <see cref="DurableQueue{T}.EnqueueAsync"/> when the queue already holds
/// <see cref="DurableQueueOptions.MaxSize"/> pending and in-flight items. Nothing was enqueued.
/// </summary>
public sealed class QueueFullException : SteadfastException
{
    /// <summary>Creates the exception.</summary>
    public QueueFullException()
        : base("The durable queue is full; nothing was enqueued.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public QueueFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public QueueFullException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a queue at its limit.</summary>
    /// <param name="maxSize">The limit that was reached.</param>
    public QueueFullException(long maxSize)
        : base($"The durable queue is full: it holds {maxSize} pending and in-flight items (DurableQueueOptions.MaxSize). Nothing was enqueued; retry later, add workers or raise MaxSize.")
    {
        MaxSize = maxSize;
    }

    /// <summary>The limit that was reached (<see cref="DurableQueueOptions.MaxSize"/>).</summary>
    public long MaxSize { get; }
}
