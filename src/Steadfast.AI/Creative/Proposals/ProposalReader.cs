using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Steadfast.AI.Creative;

/// <summary>Reads the function calls of the model's answer as proposals; the answer's text is the rationale of calls that carry none.</summary>
internal static class ProposalReader
{
    private const string RationaleArgument = "rationale";

    public static List<RawProposal> Read(ChatResponse response, IReadOnlyDictionary<string, CreativeTool> tools, int max)
    {
        var text = response.Text;
        var proposals = new List<RawProposal>();
        foreach (var call in response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
        {
            if (proposals.Count >= max)
            {
                break;
            }

            if (call.Exception is { } error)
            {
                proposals.Add(new RawProposal(call.Name, default, Blank(text), "its arguments could not be read: " + error.Message));
                continue;
            }

            JsonElement arguments;
            try
            {
                arguments = JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                proposals.Add(new RawProposal(call.Name, default, Blank(text), "its arguments are not JSON: " + e.Message));
                continue;
            }

            var declared = tools.TryGetValue(call.Name, out var tool) && Declares(tool.ParametersSchema, RationaleArgument);
            var rationale = Blank(text);
            if (!declared && arguments.ValueKind == JsonValueKind.Object && arguments.TryGetProperty(RationaleArgument, out var r))
            {
                rationale = r.ValueKind == JsonValueKind.String ? r.GetString() : r.GetRawText();
                arguments = Without(arguments, RationaleArgument);
            }

            proposals.Add(new RawProposal(call.Name, arguments, rationale));
        }

        return proposals;
    }

    private static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool Declares(JsonElement schema, string property) =>
        schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
        && properties.TryGetProperty(property, out _);

    private static JsonElement Without(JsonElement obj, string name)
    {
        var copy = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (!string.Equals(p.Name, name, StringComparison.Ordinal))
            {
                copy[p.Name] = p.Value;
            }
        }

        return JsonSerializer.SerializeToElement(copy, AIJsonUtilities.DefaultOptions);
    }
}
