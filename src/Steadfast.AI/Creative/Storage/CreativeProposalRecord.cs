namespace Steadfast;

/// <summary>One proposal of <see cref="LlmCreativeSolver"/> as an <see cref="ICreativeProposalStore"/> keeps it: redacted.</summary>
/// <param name="Operation">The operation it was proposed for.</param>
/// <param name="StrategyName">Its stable name, <c>creative:&lt;tool&gt;:&lt;hash of the canonical arguments&gt;</c>.</param>
/// <param name="Tool">The tool it calls (<c>run_csharp_program</c> for generated code).</param>
/// <param name="Arguments">The tool's arguments as canonical JSON, or the program's source; redacted.</param>
public sealed record CreativeProposalRecord(string Operation, string StrategyName, string Tool, string Arguments)
{
    /// <summary>Why the model proposed it; redacted.</summary>
    public string? Rationale { get; init; }

    /// <summary>Whether its last run succeeded; <see langword="null"/> when it has not run.</summary>
    public bool? LastSucceeded { get; init; }

    /// <summary>Its successful runs.</summary>
    public long Successes { get; init; }

    /// <summary>Its failed runs.</summary>
    public long Failures { get; init; }

    /// <summary>When it was accepted.</summary>
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>When it was accepted or last ran.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
