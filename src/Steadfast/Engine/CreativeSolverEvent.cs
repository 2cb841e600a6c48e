namespace Steadfast;

/// <summary>
/// One step of a creative solver (asked, proposed, accepted or refused, reused, sandbox run, outcome), kept in its
/// <see cref="ICreativeHistory.History"/> and published on the <see cref="IEventBus"/> when one is given. Every text in it
/// is redacted with <see cref="SecretRedactor"/>. A core type, so hosts (the ASP.NET Core dashboard) show it without
/// depending on the solver's package.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Operation">The operation the solver was asked about.</param>
/// <param name="At">When it happened.</param>
public sealed record CreativeSolverEvent(CreativeEventKind Kind, string Operation, DateTimeOffset At)
{
    /// <summary>The stable name of the proposed strategy (<c>creative:&lt;tool&gt;:&lt;hash of the arguments&gt;</c>), when there is one.</summary>
    public string? StrategyName { get; init; }

    /// <summary>The tool proposed (<c>run_csharp_program</c> for generated code), when there is one.</summary>
    public string? Tool { get; init; }

    /// <summary>The proposal's arguments as canonical JSON (redacted); for generated code, the program's first lines.</summary>
    public string? Arguments { get; init; }

    /// <summary>Why the model proposed it (redacted).</summary>
    public string? Rationale { get; init; }

    /// <summary>Why a proposal was refused, how a sandbox run ended, or why the model failed (redacted).</summary>
    public string? Reason { get; init; }
}
