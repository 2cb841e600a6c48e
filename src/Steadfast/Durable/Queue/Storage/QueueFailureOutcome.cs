namespace Steadfast;

/// <summary>What became of an item after a failed delivery (<see cref="IQueueStore.FailAsync"/>).</summary>
public enum QueueFailureOutcome
{
    /// <summary>The item is pending again and will be delivered again.</summary>
    Requeued,

    /// <summary>The item used its last delivery attempt and is now in the dead-letter list.</summary>
    DeadLettered,

    /// <summary>The lease was no longer held; nothing changed.</summary>
    LeaseLost,
}
