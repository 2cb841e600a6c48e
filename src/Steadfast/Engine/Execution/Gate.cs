namespace Steadfast;

/// <summary>Whether an attempt may start, and if not, why.</summary>
internal enum Gate
{
    /// <summary>Admitted: the budgets were charged and the circuit let it through.</summary>
    Proceed,

    /// <summary>Enough attempts failed that the intervention handler must be asked first.</summary>
    InterventionDue,

    /// <summary>The execution stopped (budget spent, intervention, deadline, the race decided).</summary>
    Stopped,

    /// <summary>The attempt's cost would exceed what is left of the cost budget.</summary>
    CostRefused,

    /// <summary>The strategy's circuit is open.</summary>
    CircuitOpen,

    /// <summary>The strategy is rate limited until its retry-after (see <see cref="RateLimitDeferrals"/>).</summary>
    RateLimited,

    /// <summary>An intervention supplied a strategy that goes first; this strategy gives up its turn.</summary>
    Yield,
}
