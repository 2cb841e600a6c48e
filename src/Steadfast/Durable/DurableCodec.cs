using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Steadfast;

/// <summary>JSON and checksums shared by checkpoints and workflow steps: one way to write, one way to verify.</summary>
/// <remarks>
/// The user's types are serialized through the <see cref="JsonTypeInfo{T}"/> their options resolve, never through the
/// reflection-only overloads of <see cref="JsonSerializer"/>: options whose <see cref="JsonSerializerOptions.TypeInfoResolver"/>
/// is a source-generated <c>JsonSerializerContext</c> work in trimmed and native AOT apps. Options without a resolver
/// (and no options at all) get System.Text.Json's reflection resolver, as <see cref="JsonSerializer"/> itself would,
/// but only where the app allows reflection (<see cref="JsonSerializer.IsReflectionEnabledByDefault"/>, off when
/// trimmed or AOT-compiled); elsewhere the call fails with a message that says what to configure (docs/durable.md).
/// </remarks>
internal static class DurableCodec
{
    // The default when the caller gives no options: System.Text.Json's defaults, as JsonSerializerOptions.Default has.
    private static readonly JsonSerializerOptions DefaultOptions = new();

    public static byte[] Serialize<T>(T value, JsonSerializerOptions? options)
        => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>(options));

    public static T? Deserialize<T>(ReadOnlyMemory<byte> data, JsonSerializerOptions? options)
        => JsonSerializer.Deserialize(data.Span, TypeInfo<T>(options));

    /// <summary>Reads a stored value; false, with the JSON error, when it is not readable as <typeparamref name="T"/> any more.</summary>
    public static bool TryDeserialize<T>(ReadOnlyMemory<byte> data, JsonSerializerOptions? options, out T? value,
        [NotNullWhen(false)] out JsonException? error)
    {
        try
        {
            value = Deserialize<T>(data, options);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            value = default;
            error = ex;
            return false;
        }
    }

    public static string Checksum(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static bool Verify(ReadOnlySpan<byte> data, string? checksum)
        => checksum is not null && string.Equals(Checksum(data), checksum, StringComparison.Ordinal);

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions? options)
    {
        options ??= DefaultOptions;
        if (options.TypeInfoResolver is null)
        {
            if (!JsonSerializer.IsReflectionEnabledByDefault)
            {
                throw new InvalidOperationException(
                    $"Steadfast stores {typeof(T)} as JSON, and this app turns System.Text.Json's reflection off (it is trimmed or " +
                    "AOT-compiled): set SerializerOptions (CheckpointOptions, WorkflowRunOptions, DurableQueueOptions) to options " +
                    $"whose TypeInfoResolver is a JsonSerializerContext with [JsonSerializable(typeof({typeof(T).Name}))]. See docs/durable.md.");
            }

            PopulateReflectionResolver(options);
        }

        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only reached when JsonSerializer.IsReflectionEnabledByDefault is true, which it is not in trimmed apps.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only reached when JsonSerializer.IsReflectionEnabledByDefault is true, which it is not in native AOT apps.")]
    private static void PopulateReflectionResolver(JsonSerializerOptions options)
        // What JsonSerializer's options overloads do on first use: the reflection resolver, then read-only.
        => options.MakeReadOnly(populateMissingResolver: true);
}
