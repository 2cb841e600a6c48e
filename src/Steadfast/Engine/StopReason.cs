namespace Steadfast;

/// <summary>Why a <see cref="ResilienceEngine"/> execution ended.</summary>
public enum StopReason
{
    /// <summary>A strategy succeeded.</summary>
    Succeeded = 0,

    /// <summary>Every strategy (and every strategy the creative solver proposed) failed for good within the budgets.</summary>
    AllStrategiesFailed,

    /// <summary><see cref="ResilienceOptions.MaxTotalTime"/> passed; in-flight attempts were cancelled.</summary>
    TimeBudget,

    /// <summary>The strategies left were not tried because their cost would exceed <see cref="ResilienceOptions.MaxApiCost"/>.</summary>
    CostBudget,

    /// <summary><see cref="ResilienceOptions.MaxTotalAttempts"/> attempts were made.</summary>
    AttemptBudget,

    /// <summary><see cref="ResilienceOptions.UserInterventionThreshold"/> attempts failed and no <see cref="IInterventionHandler"/> is registered.</summary>
    InterventionRequired,

    /// <summary>The <see cref="IInterventionHandler"/> decided to stop.</summary>
    StoppedByIntervention,
}
