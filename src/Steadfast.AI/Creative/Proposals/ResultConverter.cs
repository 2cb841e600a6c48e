using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Steadfast.AI.Creative;

/// <summary>Turns what a tool returned, or what a program printed, into the execution's <c>T</c>.</summary>
internal static class ResultConverter
{
    public static T To<T>(object? value, string source)
    {
        try
        {
            return value switch
            {
                T typed => typed,
                null when default(T) is null => default!,
                null => throw new InvalidOperationException($"{source} returned nothing; a {typeof(T).Name} was needed."),
                JsonElement json => json.Deserialize<T>(AIJsonUtilities.DefaultOptions)!,
                string text => JsonSerializer.Deserialize<T>(text, AIJsonUtilities.DefaultOptions)!,
                _ => JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions).Deserialize<T>(AIJsonUtilities.DefaultOptions)!,
            };
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            throw new InvalidOperationException($"{source} returned a value that is not a {typeof(T).Name}: {e.Message}", e);
        }
    }
}
