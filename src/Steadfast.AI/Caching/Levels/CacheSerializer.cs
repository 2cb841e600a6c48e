using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Steadfast.AI.Caching;

/// <summary>Turns values into the bytes L2 and L3 keep: strings as UTF-8, byte arrays as they are, anything else as JSON by its type info.</summary>
internal static class CacheSerializer
{
    public static byte[] Serialize<T>(T value, JsonSerializerOptions options) => value switch
    {
        string s => Encoding.UTF8.GetBytes(s),
        byte[] b => b,
        _ => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>(options)),
    };

    public static T Deserialize<T>(byte[] bytes, JsonSerializerOptions options)
    {
        if (typeof(T) == typeof(string))
        {
            return (T)(object)Encoding.UTF8.GetString(bytes);
        }

        if (typeof(T) == typeof(byte[]))
        {
            return (T)(object)bytes;
        }

        return JsonSerializer.Deserialize(bytes, TypeInfo<T>(options))!;
    }

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) =>
        options.TryGetTypeInfo(typeof(T), out var info) && info is JsonTypeInfo<T> typed
            ? typed
            : throw new InvalidOperationException(
                $"SteadfastCacheOptions.JsonSerializerOptions has no type info for {typeof(T)}; add a source-generated JsonSerializerContext that includes it to the options' TypeInfoResolver.");
}
