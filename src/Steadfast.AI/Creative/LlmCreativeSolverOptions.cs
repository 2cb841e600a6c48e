namespace Steadfast;

/// <summary>Options of <see cref="LlmCreativeSolver"/>; see docs/creative.md.</summary>
public sealed class LlmCreativeSolverOptions
{
    private const string Owner = nameof(LlmCreativeSolverOptions);

    /// <summary>Proposals taken from one answer of the model (1 to 10); the others are ignored. Accepted ones beyond the first are offered on the next request without asking again.</summary>
    /// <value>The default is 3.</value>
    public int MaxProposalsPerRequest { get; set; } = CreativeConstants.DefaultMaxProposalsPerRequest;

    /// <summary>
    /// What one execution may spend, counting its attempts so far and the proposed tool's <see cref="CreativeTool.Cost"/>
    /// (0 to 1,000,000,000): a proposal that would exceed it is refused. <see langword="null"/> leaves the bound to the engine's
    /// <see cref="ResilienceOptions.MaxApiCost"/> (<c>UseCreativeSolver</c> sets it to that).
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public decimal? CostBudget { get; set; }

    /// <summary>
    /// Whether the model may propose a C# program when no tool fits. The program is validated with Roslyn against an
    /// allow-list and runs only out of process in a <c>bwrap</c> sandbox; without <c>bwrap</c> it is refused.
    /// <c>UseCreativeSolver</c> turns it on when <see cref="ResilienceOptions.EnableCustomCode"/> is on.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowGeneratedCode { get; set; }

    /// <summary>The limits of generated code and its sandbox.</summary>
    /// <value>The default is <c>new()</c>.</value>
    public GeneratedCodeOptions GeneratedCode { get; set; } = new();

    /// <summary>
    /// The data a generated program receives on standard input (its only input): for example the payload the application
    /// could not get transformed. A redacted sample of at most 1 KiB is shown to the model. <see langword="null"/> gives no input.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Func<ResilienceSituation, string?>? GeneratedCodeInput { get; set; }

    /// <summary>Whether the execution's context (redacted: secret-named keys and secret-shaped values removed) is shown to the model.</summary>
    /// <value>The default is <see langword="false"/>: context often carries user data.</value>
    public bool IncludeContext { get; set; }

    /// <summary>Proposals remembered per solver, with their outcomes, so a failed one is refused and a working one reused (1 to 100,000); the oldest go first.</summary>
    /// <value>The default is 256.</value>
    public int MaxRememberedProposals { get; set; } = CreativeConstants.DefaultMaxRememberedProposals;

    /// <summary>Events kept in <see cref="LlmCreativeSolver.History"/> (0 to 100,000); the oldest go first.</summary>
    /// <value>The default is 256.</value>
    public int MaxHistory { get; set; } = CreativeConstants.DefaultMaxHistory;

    /// <summary>Copies the options, including <see cref="GeneratedCode"/>.</summary>
    /// <returns>A copy.</returns>
    public LlmCreativeSolverOptions Clone()
    {
        var copy = (LlmCreativeSolverOptions)MemberwiseClone();
        copy.GeneratedCode = GeneratedCode?.Clone()!;
        return copy;
    }

    /// <summary>Checks every option; throws on the first invalid one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range; the message names <c>LlmCreativeSolverOptions.Property</c>, the range and the value.</exception>
    /// <exception cref="ArgumentNullException"><see cref="GeneratedCode"/> is null.</exception>
    public void Validate()
    {
        CreativeGuard.InRange(MaxProposalsPerRequest, 1, 10, $"{Owner}.{nameof(MaxProposalsPerRequest)}");
        if (CostBudget is { } budget)
        {
            CreativeGuard.InRange(budget, 0m, 1_000_000_000m, $"{Owner}.{nameof(CostBudget)}");
        }

        CreativeGuard.InRange(MaxRememberedProposals, 1, 100_000, $"{Owner}.{nameof(MaxRememberedProposals)}");
        CreativeGuard.InRange(MaxHistory, 0, 100_000, $"{Owner}.{nameof(MaxHistory)}");
        if (GeneratedCode is null)
        {
            throw new ArgumentNullException(nameof(GeneratedCode), $"{Owner}.{nameof(GeneratedCode)} must not be null.");
        }

        GeneratedCode.Validate();
    }
}
