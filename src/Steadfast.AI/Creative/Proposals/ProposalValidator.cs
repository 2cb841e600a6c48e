using System.Globalization;
using System.Text.Json;

namespace Steadfast.AI.Creative;

/// <summary>
/// Decides whether a proposal may become a strategy: a known tool (or generated code, when allowed and it passes the code
/// gate), arguments valid against the tool's schema, not a repeat of a strategy tried in this execution or of one that
/// failed before (or is blacklisted), and within the cost budget.
/// </summary>
internal sealed class ProposalValidator(
    IReadOnlyDictionary<string, CreativeTool> tools, LlmCreativeSolverOptions options, ProposalBook book, FailureAnalyzer? analyzer, GeneratedCodeGate? codeGate)
{
    /// <summary>Returns the accepted proposal, or the reason it is refused (and the strategy name, when it got that far).</summary>
    public (Proposal? Accepted, string? Name, string? Refusal) Validate(RawProposal raw, ResilienceSituation situation, ISet<string> acceptedThisRound)
    {
        if (raw.ParseError is { } parseError)
        {
            return (null, null, $"the call of '{raw.Tool}' is unusable: {parseError}");
        }

        if (string.Equals(raw.Tool, CreativeConstants.GeneratedCodeToolName, StringComparison.Ordinal))
        {
            return ValidateCode(raw, situation, acceptedThisRound);
        }

        if (!tools.TryGetValue(raw.Tool, out var tool))
        {
            return (null, null, $"unknown tool '{raw.Tool}'; the tools are: {string.Join(", ", tools.Keys)}");
        }

        if (JsonSchemaChecker.Check(tool.ParametersSchema, raw.Arguments) is { } schemaError)
        {
            return (null, null, $"the arguments of '{tool.Name}' do not match its schema: {schemaError}");
        }

        var canonical = CanonicalJson.Write(raw.Arguments);
        var name = CanonicalJson.StrategyName(tool.Name, canonical);
        if (Repeat(name, situation, acceptedThisRound) is { } repeat)
        {
            return (null, name, repeat);
        }

        if (OverBudget(tool.Cost, situation) is { } budget)
        {
            return (null, name, budget);
        }

        return (new Proposal { StrategyName = name, ToolName = tool.Name, Tool = tool, CanonicalArguments = canonical, Rationale = raw.Rationale, Cost = tool.Cost }, name, null);
    }

    /// <summary>Why a known proposal may not run now (tried in this execution, failed before, blacklisted), or <see langword="null"/>.</summary>
    public string? Repeat(string name, ResilienceSituation situation, ISet<string>? acceptedThisRound = null)
    {
        if (acceptedThisRound?.Contains(name) == true)
        {
            return $"a repeat of the proposal {name} earlier in the same answer";
        }

        if (situation.Attempts.Any(a => string.Equals(a.Strategy, name, StringComparison.Ordinal)))
        {
            return $"a repeat: {name} was already tried in this execution";
        }

        if (book.HasFailed(situation.OperationName, name))
        {
            return $"a repeat of a failed strategy: {name} failed when it last ran";
        }

        return analyzer?.IsStrategyBlacklisted(name, situation.OperationName) == true ? $"a repeat of a failed strategy: {name} is blacklisted" : null;
    }

    public string? OverBudget(decimal cost, ResilienceSituation situation)
    {
        if (options.CostBudget is not { } budget)
        {
            return null;
        }

        var spent = situation.Attempts.Sum(a => a.Cost);
        return spent + cost > budget
            ? string.Create(CultureInfo.InvariantCulture, $"over the cost budget: {spent} spent + {cost} for this call > {budget}")
            : null;
    }

    private (Proposal?, string?, string?) ValidateCode(RawProposal raw, ResilienceSituation situation, ISet<string> acceptedThisRound)
    {
        if (!options.AllowGeneratedCode || codeGate is null)
        {
            return (null, null, "generated code is off (LlmCreativeSolverOptions.AllowGeneratedCode, ResilienceOptions.EnableCustomCode)");
        }

        if (raw.Arguments.ValueKind != JsonValueKind.Object || !raw.Arguments.TryGetProperty("source", out var s) || s.ValueKind != JsonValueKind.String)
        {
            return (null, null, $"the arguments of '{raw.Tool}' do not match its schema: $: the required string property 'source' is missing");
        }

        var source = s.GetString()!;
        var name = CanonicalJson.StrategyName("code", source.ReplaceLineEndings("\n").Trim());
        if (Repeat(name, situation, acceptedThisRound) is { } repeat)
        {
            return (null, name, repeat);
        }

        var (program, refusal) = codeGate.Prepare(source);
        return program is null
            ? (null, name, refusal)
            : (new Proposal { StrategyName = name, ToolName = raw.Tool, CanonicalArguments = source, Rationale = raw.Rationale, Program = program }, name, null);
    }
}
