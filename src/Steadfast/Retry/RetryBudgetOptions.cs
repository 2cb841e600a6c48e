namespace Steadfast;

/// <summary>
/// How many retries a <see cref="RetryBudget"/> allows: over a sliding <see cref="Window"/>, retries may make up
/// <see cref="Ratio"/> of the calls, plus a reserve of <see cref="MinRetriesPerSecond"/> × <see cref="Window"/> so
/// a service with little traffic can still retry.
/// </summary>
/// <remarks>
/// A retry is allowed while <c>retries + 1 ≤ Ratio × calls + MinRetriesPerSecond × Window.TotalSeconds</c>, counting the
/// calls and retries of the last <see cref="Window"/>. The defaults are Finagle's: 20 % of calls on top of 10 retries a
/// second over 10 seconds, so at most 1.2 requests per call plus the reserve reach a failing service, however many
/// attempts each retry policy would make. A budget validates and copies the options when it is built.
/// </remarks>
public sealed class RetryBudgetOptions
{
    /// <summary>The share of calls that may be retried: 0.2 allows one retry for every five calls.</summary>
    /// <value>The default is 0.2. Allowed: 0 to 1000 (0 leaves only the <see cref="MinRetriesPerSecond"/> reserve).</value>
    public double Ratio { get; set; } = RetryBudgetConstants.DefaultRatio;

    /// <summary>
    /// Retries allowed per second of <see cref="Window"/> whatever the calls, so a client that has just started, or
    /// that calls rarely, can still retry (the reserve is this × <see cref="Window"/> in seconds).
    /// </summary>
    /// <value>The default is 10. Allowed: 0 to 1,000,000 (0: no reserve, only <see cref="Ratio"/>).</value>
    public int MinRetriesPerSecond { get; set; } = RetryBudgetConstants.DefaultMinRetriesPerSecond;

    /// <summary>How far back calls and retries count; older ones leave the budget a tenth of the window at a time.</summary>
    /// <value>The default is 10 seconds. Allowed: 1 to 60 seconds.</value>
    public TimeSpan Window { get; set; } = RetryBudgetConstants.DefaultWindow;

    /// <summary>Returns an independent copy.</summary>
    /// <returns>The copy.</returns>
    public RetryBudgetOptions Clone() => new()
    {
        Ratio = Ratio,
        MinRetriesPerSecond = MinRetriesPerSecond,
        Window = Window,
    };

    /// <summary>Throws when an option is out of range, naming the option, its value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="Ratio"/> is not a number.</exception>
    public void Validate()
    {
        const string owner = nameof(RetryBudgetOptions);
        Guard.That(!double.IsNaN(Ratio), Ratio, "must be a number", owner);
        Guard.InRange(Ratio, 0.0, RetryBudgetConstants.MaxRatio, owner);
        Guard.InRange(MinRetriesPerSecond, 0, RetryBudgetConstants.MaxMinRetriesPerSecond, owner);
        Guard.InRange(Window, RetryBudgetConstants.MinWindow, RetryBudgetConstants.MaxWindow, owner);
    }
}
