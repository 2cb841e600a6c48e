namespace Steadfast;

/// <summary>One recent outcome of an operation, for the intermittent and permanent patterns.</summary>
internal readonly record struct RecordedOutcome(DateTimeOffset At, Failure? Failure)
{
    public bool IsSuccess => Failure is null;
}
