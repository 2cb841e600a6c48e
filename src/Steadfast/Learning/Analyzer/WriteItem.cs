namespace Steadfast;

/// <summary>One queued write. A struct: the channel's segments hold it inline, so recording a failure allocates no queue item.</summary>
internal readonly struct WriteItem(WriteKind kind)
{
    public WriteKind Kind { get; } = kind;

    public Failure? Failure { get; init; }

    public BlacklistEntry? Entry { get; init; }

    public string? Strategy { get; init; }

    public string? Operation { get; init; }

    public TaskCompletionSource? Done { get; init; }
}
