using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Steadfast.AI.Creative;

/// <summary>
/// Checks a value against the subset of JSON Schema that tool parameters use: <c>type</c> (one or a list), <c>properties</c>,
/// <c>required</c>, <c>additionalProperties</c> (false or a schema), <c>enum</c>, <c>const</c>, <c>minimum</c>, <c>maximum</c>,
/// <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c>, <c>minLength</c>, <c>maxLength</c>, <c>pattern</c>, <c>items</c>,
/// <c>minItems</c>, <c>maxItems</c>. Other keywords are ignored (docs/creative.md says so). The BCL exports schemas but does not check them.
/// </summary>
internal static class JsonSchemaChecker
{
    private const int MaxDepth = 32;
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Returns why <paramref name="value"/> does not match <paramref name="schema"/>, or <see langword="null"/> when it does.</summary>
    public static string? Check(JsonElement schema, JsonElement value) => Check(schema, value, "$", 0);

    private static string? Check(JsonElement schema, JsonElement value, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            return $"{path}: nested deeper than {MaxDepth} levels";
        }

        if (schema.ValueKind == JsonValueKind.True || schema.ValueKind != JsonValueKind.Object)
        {
            return schema.ValueKind == JsonValueKind.False ? $"{path}: no value is allowed here" : null;
        }

        return CheckType(schema, value, path)
            ?? CheckEnum(schema, value, path)
            ?? CheckNumber(schema, value, path)
            ?? CheckString(schema, value, path)
            ?? CheckArray(schema, value, path, depth)
            ?? CheckObject(schema, value, path, depth);
    }

    private static string? CheckType(JsonElement schema, JsonElement value, string path)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return null;
        }

        var allowed = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToList() : [type.GetString()];
        return allowed.Any(t => Is(t, value)) ? null : $"{path}: expected {string.Join(" or ", allowed)}, was {Describe(value)}";
    }

    private static bool Is(string? type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && decimal.Truncate(d) == d,
        _ => false,
    };

    private static string? CheckEnum(JsonElement schema, JsonElement value, string path)
    {
        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
        {
            return $"{path}: must be {constant.GetRawText()}";
        }

        if (schema.TryGetProperty("enum", out var options) && options.ValueKind == JsonValueKind.Array
            && !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
        {
            return $"{path}: must be one of {options.GetRawText()}, was {Describe(value)}";
        }

        return null;
    }

    private static string? CheckNumber(JsonElement schema, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        var n = value.GetDouble();
        if (Bound(schema, "minimum") is { } min && n < min)
        {
            return $"{path}: must be at least {Format(min)}, was {Format(n)}";
        }

        if (Bound(schema, "maximum") is { } max && n > max)
        {
            return $"{path}: must be at most {Format(max)}, was {Format(n)}";
        }

        if (Bound(schema, "exclusiveMinimum") is { } xmin && n <= xmin)
        {
            return $"{path}: must be more than {Format(xmin)}, was {Format(n)}";
        }

        return Bound(schema, "exclusiveMaximum") is { } xmax && n >= xmax ? $"{path}: must be less than {Format(xmax)}, was {Format(n)}" : null;
    }

    private static string? CheckString(JsonElement schema, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var s = value.GetString()!;
        if (Bound(schema, "minLength") is { } min && s.Length < min)
        {
            return $"{path}: must be at least {Format(min)} characters long";
        }

        if (Bound(schema, "maxLength") is { } max && s.Length > max)
        {
            return $"{path}: must be at most {Format(max)} characters long";
        }

        if (schema.TryGetProperty("pattern", out var pattern) && pattern.GetString() is { } p)
        {
            try
            {
                if (!Regex.IsMatch(s, p, RegexOptions.CultureInvariant, PatternTimeout))
                {
                    return $"{path}: must match the pattern {p}";
                }
            }
            catch (RegexMatchTimeoutException)
            {
                return $"{path}: the pattern {p} took too long to check";
            }
        }

        return null;
    }

    private static string? CheckArray(JsonElement schema, JsonElement value, string path, int depth)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var count = value.GetArrayLength();
        if (Bound(schema, "minItems") is { } min && count < min)
        {
            return $"{path}: must have at least {Format(min)} items";
        }

        if (Bound(schema, "maxItems") is { } max && count > max)
        {
            return $"{path}: must have at most {Format(max)} items";
        }

        if (schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Check(items, item, $"{path}[{i++}]", depth + 1) is { } error)
                {
                    return error;
                }
            }
        }

        return null;
    }

    private static string? CheckObject(JsonElement schema, JsonElement value, string path, int depth)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray())
            {
                if (name.GetString() is { } n && !value.TryGetProperty(n, out _))
                {
                    return $"{path}: the required property '{n}' is missing";
                }
            }
        }

        var hasProperties = schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object;
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in value.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                if (Check(propertySchema, property.Value, at, depth + 1) is { } error)
                {
                    return error;
                }
            }
            else if (hasAdditional)
            {
                if (additional.ValueKind == JsonValueKind.False)
                {
                    return $"{path}: the property '{property.Name}' is not allowed";
                }

                if (Check(additional, property.Value, at, depth + 1) is { } error)
                {
                    return error;
                }
            }
        }

        return null;
    }

    private static double? Bound(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var bound) && bound.ValueKind == JsonValueKind.Number ? bound.GetDouble() : null;

    private static string Format(double n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
