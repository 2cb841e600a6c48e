using System.Text.Json;
using System.Text.RegularExpressions;

namespace Steadfast;

/// <summary>
/// One thing the application lets a creative solver do, such as "fetch from the cache with a wider key" or "call provider X
/// with a smaller payload": a name and a description the model reads, a JSON schema its arguments must match, and the
/// delegate that does it. The model only proposes calls; Steadfast checks each against the schema and runs the delegate
/// as a strategy of the engine.
/// </summary>
public sealed partial class CreativeTool
{
    /// <summary>Creates a tool.</summary>
    /// <param name="name">The name the model calls it by: a letter, then up to 63 letters, digits, <c>_</c> or <c>-</c>.</param>
    /// <param name="description">What it does and when it helps, for the model.</param>
    /// <param name="parametersSchema">The JSON schema of its arguments: an object schema (<c>"type": "object"</c>); see docs/creative.md for the keywords checked.</param>
    /// <param name="invoke">The work, given the validated arguments (a JSON object) and the attempt's token; its result becomes the strategy's result.</param>
    /// <param name="cost">What one call costs, charged to the execution's cost budget (0 or more).</param>
    /// <exception cref="ArgumentException">The name, description or schema is not valid.</exception>
    public CreativeTool(string name, string description, JsonElement parametersSchema, Func<JsonElement, CancellationToken, ValueTask<object?>> invoke, decimal cost = 0m)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(invoke);
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"CreativeTool.Name must be a letter followed by up to 63 letters, digits, '_' or '-'; was '{name}'.", nameof(name));
        }

        if (string.Equals(name, CreativeConstants.GeneratedCodeToolName, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"CreativeTool.Name '{name}' is reserved for generated code.", nameof(name));
        }

        if (parametersSchema.ValueKind != JsonValueKind.Object
            || !parametersSchema.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object")
        {
            throw new ArgumentException($"CreativeTool.ParametersSchema of '{name}' must be a JSON object schema with \"type\": \"object\".", nameof(parametersSchema));
        }

        if (cost < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cost), cost, $"CreativeTool.Cost of '{name}' must be 0 or more; was {cost}.");
        }

        Name = name;
        Description = description;
        ParametersSchema = parametersSchema.Clone();
        Invoke = invoke;
        Cost = cost;
    }

    /// <summary>The name the model calls the tool by.</summary>
    public string Name { get; }

    /// <summary>What the tool does, for the model.</summary>
    public string Description { get; }

    /// <summary>The JSON schema of the tool's arguments.</summary>
    public JsonElement ParametersSchema { get; }

    /// <summary>The work, given the validated arguments.</summary>
    public Func<JsonElement, CancellationToken, ValueTask<object?>> Invoke { get; }

    /// <summary>What one call costs, charged to the execution's cost budget.</summary>
    public decimal Cost { get; }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
