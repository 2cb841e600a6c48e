namespace Steadfast;

/// <summary>
/// How <see cref="AttemptRecord.SkipReason"/> begins for each kind of skip, so code that summarises attempts (a
/// dashboard, the CLI demo) can tell them apart without parsing free text.
/// </summary>
public static class SkipReasons
{
    /// <summary>The strategy's circuit was open; <see cref="AttemptRecord.RetryAfter"/> says for how long.</summary>
    public const string CircuitOpen = "circuit open";

    /// <summary>
    /// The strategy answered with a rate limit and a retry-after that has not passed yet; <see cref="AttemptRecord.RetryAfter"/>
    /// says for how long. No request is sent to it meanwhile, by any execution of the operation.
    /// </summary>
    public const string RateLimited = "rate limited";

    /// <summary>Prefix of the reason of a blacklisted strategy; the blacklist entry's reason follows it.</summary>
    public const string BlacklistedPrefix = "blacklisted: ";

    /// <summary>Prefix of the reason of a strategy whose cost would have exceeded the cost budget.</summary>
    public const string CostBudgetPrefix = "cost ";

    /// <summary>Another strategy of the race had already succeeded.</summary>
    public const string LostTheRace = "lost the race";

    /// <summary>Prefix of the reason of a strategy whose <see cref="Strategy{T}.HealthComponent"/> the health monitor reports Unhealthy; the component's name follows it.</summary>
    public const string ComponentUnhealthyPrefix = "component unhealthy: ";

    /// <summary>The system is in <see cref="OperationMode.Emergency"/> and the strategy is not <see cref="Strategy{T}.EssentialInEmergency"/>.</summary>
    public const string NotEssentialInEmergency = "emergency mode: not essential";
}
