namespace Steadfast;

/// <summary>
/// One way to get a <typeparamref name="T"/>: the engine ranks strategies, retries each with backoff, and moves on
/// to the next when one fails for good.
/// </summary>
/// <typeparam name="T">What the strategy produces.</typeparam>
/// <param name="Name">The strategy's name, unique within an operation (case-sensitive); learning, circuits and the blacklist key on it.</param>
/// <param name="Operation">The work. It must honour the token: it is cancelled on timeout, on the deadline and when the strategy loses a race.</param>
/// <param name="Priority">How much the strategy is preferred (0 or more); the ranking multiplies it with history, latency and cost.</param>
/// <param name="Description">What the strategy does, for people.</param>
public sealed record Strategy<T>(string Name, Func<CancellationToken, Task<T>> Operation, double Priority = 1.0, string? Description = null)
{
    /// <summary>
    /// Creates a strategy whose work receives an <see cref="AttemptContext"/>, through which it can report what an attempt
    /// cost (tokens, API units) on top of <see cref="Cost"/>.
    /// </summary>
    /// <param name="Name">The strategy's name, unique within an operation.</param>
    /// <param name="Operation">The work, given the attempt's context and cancellation token.</param>
    /// <param name="Priority">How much the strategy is preferred (0 or more).</param>
    /// <param name="Description">What the strategy does, for people.</param>
    public Strategy(string Name, Func<AttemptContext, CancellationToken, Task<T>> Operation, double Priority = 1.0, string? Description = null)
        : this(Name, NotCalled, Priority, Description)
    {
        ArgumentNullException.ThrowIfNull(Operation);
        ContextualOperation = Operation;
    }

    /// <summary>The cost of one attempt, charged against <see cref="ResilienceOptions.MaxApiCost"/> before the attempt starts (0 or more).</summary>
    /// <value>The default is 0.</value>
    public decimal Cost { get; init; }

    /// <summary>
    /// The <see cref="HealthMonitor"/> component this strategy depends on (for example <c>"openai"</c>). With a monitor given to
    /// the engine, a strategy whose component is <see cref="Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy"/>
    /// is skipped (<see cref="SkipReasons.ComponentUnhealthyPrefix"/>) and one whose component is Degraded ranks at half its score.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the strategy's health is what the engine learns of it.</value>
    public string? HealthComponent { get; init; }

    /// <summary>
    /// Whether the strategy is kept in <see cref="OperationMode.Emergency"/>, when the engine runs only essential strategies
    /// (or, if none of an operation's is essential, the cheapest).
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool EssentialInEmergency { get; init; }

    /// <summary>The work when the strategy was created with an <see cref="AttemptContext"/>; otherwise <see langword="null"/>.</summary>
    public Func<AttemptContext, CancellationToken, Task<T>>? ContextualOperation { get; }

    private static Task<T> NotCalled(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("This strategy takes an AttemptContext; call ContextualOperation.");

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Name);
        ArgumentNullException.ThrowIfNull(Operation);
        if (!double.IsFinite(Priority) || Priority < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Priority), Priority, $"Strategy '{Name}': Priority must be a finite number of 0 or more; was {Priority}.");
        }

        if (Cost < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Cost), Cost, $"Strategy '{Name}': Cost must be 0 or more; was {Cost}.");
        }
    }
}
