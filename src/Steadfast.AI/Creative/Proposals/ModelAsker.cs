using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Steadfast.AI.Creative;

/// <summary>
/// Asks the model once: the redacted situation as the prompt, the tools as function declarations (the model answers with
/// function calls; nothing is invoked automatically), and reads its calls as proposals.
/// </summary>
internal sealed class ModelAsker(IChatClient client, IReadOnlyDictionary<string, CreativeTool> tools, LlmCreativeSolverOptions options)
{
    private static readonly JsonElement CodeSchema = JsonDocument.Parse("""
        {"type":"object","properties":{"source":{"type":"string","description":"A complete C# console program: reads standard input, writes the result to standard output."},"rationale":{"type":"string"}},"required":["source"],"additionalProperties":false}
        """).RootElement.Clone();

    private readonly List<AITool> _declarations = [.. tools.Values.Select(t => (AITool)AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.ParametersSchema))];

    public async Task<List<RawProposal>> AskAsync(ResilienceSituation situation, string? inputSample, bool offerCode, CancellationToken cancellationToken)
    {
        var declarations = new List<AITool>(_declarations);
        if (offerCode)
        {
            declarations.Add(AIFunctionFactory.CreateDeclaration(CreativeConstants.GeneratedCodeToolName,
                "Runs a small C# program in a sandbox when no other function fits; its standard output is the result.", CodeSchema));
        }

        var messages = PromptBuilder.Build(situation, options.MaxProposalsPerRequest, options.IncludeContext, inputSample, offerCode);
        var chatOptions = new ChatOptions { Tools = declarations, ToolMode = ChatToolMode.Auto, AllowMultipleToolCalls = true };
        var response = await client.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);
        return ProposalReader.Read(response, tools, options.MaxProposalsPerRequest);
    }
}
