using System.Text.Json;

namespace Steadfast.AI.Creative;

/// <summary>
/// Rebuilds a proposal read from the store, trusting nothing in the row: the tool must still be in the catalogue, the
/// arguments must still match its schema, and the name must be the hash of what is stored (a row edited by hand, or whose
/// arguments lost a secret to redaction, does not match). A program goes through the code gate again (the rules may have
/// changed since it was accepted) before it can run.
/// </summary>
internal sealed class ProposalRestorer(IReadOnlyDictionary<string, CreativeTool> tools, GeneratedCodeGate? codeGate)
{
    /// <summary>The rebuilt proposal, or why it cannot be rebuilt.</summary>
    public (Proposal? Proposal, string? Refusal) Restore(CreativeProposalRecord record)
    {
        if (string.Equals(record.Tool, CreativeConstants.GeneratedCodeToolName, StringComparison.Ordinal))
        {
            return RestoreProgram(record);
        }

        if (!tools.TryGetValue(record.Tool, out var tool))
        {
            return (null, $"the tool '{record.Tool}' is no longer offered");
        }

        JsonElement arguments;
        try
        {
            arguments = CanonicalJson.Parse(record.Arguments);
        }
        catch (JsonException)
        {
            return (null, "its stored arguments are not JSON");
        }

        if (JsonSchemaChecker.Check(tool.ParametersSchema, arguments) is { } schemaError)
        {
            return (null, "its arguments no longer match the tool's schema: " + schemaError);
        }

        var canonical = CanonicalJson.Write(arguments);
        if (!string.Equals(CanonicalJson.StrategyName(tool.Name, canonical), record.StrategyName, StringComparison.Ordinal))
        {
            return (null, "its stored arguments do not hash to its name (redacted, or edited)");
        }

        return (new Proposal
        {
            StrategyName = record.StrategyName, ToolName = tool.Name, Tool = tool, CanonicalArguments = canonical, Rationale = record.Rationale, Cost = tool.Cost,
        }, null);
    }

    private (Proposal?, string?) RestoreProgram(CreativeProposalRecord record)
    {
        if (codeGate is null)
        {
            return (null, "generated code is off (LlmCreativeSolverOptions.AllowGeneratedCode)");
        }

        var source = record.Arguments;
        if (!string.Equals(CanonicalJson.StrategyName("code", source.ReplaceLineEndings("\n").Trim()), record.StrategyName, StringComparison.Ordinal))
        {
            return (null, "its stored program does not hash to its name (redacted, or edited)");
        }

        var (program, refusal) = codeGate.Prepare(source);
        return program is null
            ? (null, "the program no longer passes validation: " + refusal)
            : (new Proposal { StrategyName = record.StrategyName, ToolName = record.Tool, CanonicalArguments = source, Rationale = record.Rationale, Program = program }, null);
    }
}
