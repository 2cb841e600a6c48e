namespace Steadfast;

/// <summary>The data of <see cref="OperationModeManager.ModeChanged"/>.</summary>
public sealed class OperationModeChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="previous">The mode before the change.</param>
    /// <param name="current">The mode after the change.</param>
    /// <param name="reasons">Why the system is in <paramref name="current"/> (empty in Normal).</param>
    /// <param name="at">When the mode changed.</param>
    public OperationModeChangedEventArgs(OperationMode previous, OperationMode current, IReadOnlyList<DegradationReason> reasons, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        Previous = previous;
        Current = current;
        Reasons = reasons;
        At = at;
    }

    /// <summary>The mode before the change.</summary>
    public OperationMode Previous { get; }

    /// <summary>The mode after the change.</summary>
    public OperationMode Current { get; }

    /// <summary>Why the system is in <see cref="Current"/> (empty in Normal).</summary>
    public IReadOnlyList<DegradationReason> Reasons { get; }

    /// <summary>When the mode changed.</summary>
    public DateTimeOffset At { get; }
}
