using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Steadfast.AI.Creative;

/// <summary>
/// One spelling per JSON value: object properties sorted (ordinal), no white space. Two proposals with the same tool and
/// the same arguments in another order or layout get the same strategy name, so learning keys on what they do.
/// </summary>
internal static class CanonicalJson
{
    private const int MaxDepth = 64;

    public static string Write(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = false }))
        {
            WriteValue(writer, value, 0);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static JsonElement Parse(string canonical)
    {
        using var document = JsonDocument.Parse(canonical);
        return document.RootElement.Clone();
    }

    /// <summary>The stable strategy name of a proposal: the tool and a hash of what it is given (canonical arguments, or a program's text).</summary>
    public static string StrategyName(string tool, string canonicalPayload)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonicalPayload));
        return CreativeConstants.StrategyPrefix + tool + ":" + Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new JsonException($"The arguments nest deeper than {MaxDepth} levels.");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteValue(writer, property.Value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}
