namespace Steadfast;

/// <summary>An item that failed every delivery attempt and was moved to the dead-letter list.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Id">The item's id; pass it to <see cref="DurableQueue{T}.ReplayDeadLetterAsync"/>.</param>
/// <param name="Item">The item.</param>
/// <param name="Priority">The item's priority.</param>
/// <param name="Attempts">How many deliveries it had.</param>
/// <param name="LastError">The error of its last delivery.</param>
/// <param name="EnqueuedAt">When it was enqueued.</param>
/// <param name="DeadLetteredAt">When it was dead-lettered.</param>
public sealed record DeadLetter<T>(
    long Id,
    T Item,
    int Priority,
    int Attempts,
    string? LastError,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset DeadLetteredAt);
