namespace Steadfast;

/// <summary>
/// What a creative solver tried, most recent last: the steps it also publishes as <see cref="CreativeSolverEvent"/>s.
/// Hosts read it to show the solver's work (the dashboard's <c>GET creative</c>); a solver that keeps no history need not
/// implement it.
/// </summary>
public interface ICreativeHistory
{
    /// <summary>The most recent steps, oldest first, redacted.</summary>
    IReadOnlyList<CreativeSolverEvent> History { get; }
}
