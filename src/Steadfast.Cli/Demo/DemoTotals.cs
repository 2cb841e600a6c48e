namespace Steadfast.Cli.Demo;

/// <summary>
/// The run's figures at one moment. Attempts are calls the engine made to a provider: each ends succeeded, failed (wasted)
/// or cancelled (another strategy had already won, or the deadline cut it); skipped strategies are not attempts.
/// </summary>
internal sealed record DemoTotals
{
    public required int Calls { get; init; }

    public required int Succeeded { get; init; }

    public int Failed => Calls - Succeeded;

    /// <summary>Attempts made: <see cref="SucceededAttempts"/> + <see cref="FailedAttempts"/> + <see cref="CancelledAttempts"/>.</summary>
    public required int Attempts { get; init; }

    public required int SucceededAttempts { get; init; }

    /// <summary>Attempts that failed: the wasted ones.</summary>
    public required int FailedAttempts { get; init; }

    /// <summary>Of <see cref="FailedAttempts"/>, those refused for a quota (HTTP 429 and the like).</summary>
    public required int RateLimitedAttempts { get; init; }

    /// <summary>Attempts cancelled because another strategy won the race: not wasted, the price of racing.</summary>
    public required int CancelledLostRace { get; init; }

    /// <summary>Attempts cancelled for another reason (the call's deadline, Ctrl+C).</summary>
    public required int CancelledOther { get; init; }

    public int CancelledAttempts => CancelledLostRace + CancelledOther;

    /// <summary>Calls in which at least one strategy was skipped because its circuit was open: the calls circuits saved.</summary>
    public required int CallsWithCircuitSkip { get; init; }

    /// <summary>Strategies skipped for an open circuit, over all calls (one call may skip several).</summary>
    public required int CircuitSkips { get; init; }

    /// <summary>Calls in which at least one strategy was skipped because it was blacklisted.</summary>
    public required int CallsWithBlacklistSkip { get; init; }

    public required int BlacklistSkips { get; init; }

    public required decimal Cost { get; init; }

    /// <summary>Time to success of the successful calls, nearest-rank percentiles; 0 when none succeeded.</summary>
    public required double P50Milliseconds { get; init; }

    public required double P95Milliseconds { get; init; }

    public required double P99Milliseconds { get; init; }

    /// <summary>Failed calls by the reason the engine stopped.</summary>
    public required IReadOnlyDictionary<string, int> FailedBy { get; init; }

    /// <summary>Per strategy, in the scenario's order; they sum to the totals.</summary>
    public required IReadOnlyList<StrategyTotals> Strategies { get; init; }

    /// <summary>The failed attempts by cause (category, HTTP status, strategy), most frequent first; they sum to <see cref="FailedAttempts"/>.</summary>
    public required IReadOnlyList<FailureCause> FailureCauses { get; init; }

    public double SuccessRate => Calls == 0 ? 0 : (double)Succeeded / Calls;

    /// <summary>Attempts made per successful call, cancelled ones included (they were sent).</summary>
    public double AttemptsPerSuccess => Succeeded == 0 ? 0 : (double)Attempts / Succeeded;

    public double WastedAttemptsPerCall => Calls == 0 ? 0 : (double)FailedAttempts / Calls;

    public double CancelledAttemptsPerCall => Calls == 0 ? 0 : (double)CancelledAttempts / Calls;
}

/// <summary>One strategy's part of the run.</summary>
internal sealed record StrategyTotals(
    string Strategy,
    int Attempts,
    int Succeeded,
    int Failed,
    int Cancelled,
    int Wins,
    int CircuitSkips,
    int BlacklistSkips,
    int OtherSkips);

/// <summary>Failed attempts of one cause.</summary>
internal sealed record FailureCause(ErrorCategory Category, int? StatusCode, string Strategy, int Count);
