using System.Text.Json;

namespace Steadfast.AI.Creative;

/// <summary>What the model asked for, as read from one function call of its answer, before validation.</summary>
/// <param name="Tool">The function it called.</param>
/// <param name="Arguments">Its arguments as a JSON object (a rationale argument the tool does not declare is taken out).</param>
/// <param name="Rationale">Why, in the model's words.</param>
/// <param name="ParseError">Why the arguments could not be read, when they could not.</param>
internal sealed record RawProposal(string Tool, JsonElement Arguments, string? Rationale, string? ParseError = null);

/// <summary>A proposal that passed validation: it becomes a strategy named <see cref="StrategyName"/>.</summary>
internal sealed class Proposal
{
    public required string StrategyName { get; init; }

    public required string ToolName { get; init; }

    /// <summary>The tool it calls; <see langword="null"/> for generated code.</summary>
    public CreativeTool? Tool { get; init; }

    /// <summary>The arguments, canonical JSON (for generated code: the program's source).</summary>
    public required string CanonicalArguments { get; init; }

    public string? Rationale { get; init; }

    public decimal Cost { get; init; }

    /// <summary>The compiled program, for generated code.</summary>
    public CompiledProgram? Program { get; init; }
}
