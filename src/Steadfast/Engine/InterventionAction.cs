namespace Steadfast;

/// <summary>The kinds of <see cref="InterventionDecision{T}"/>.</summary>
public enum InterventionAction
{
    /// <summary>Stop the execution.</summary>
    Stop = 0,

    /// <summary>Carry on.</summary>
    Continue,

    /// <summary>Try the supplied strategy next.</summary>
    UseStrategy,
}
