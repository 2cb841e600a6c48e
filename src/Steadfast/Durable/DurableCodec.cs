using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;

namespace Steadfast;

/// <summary>JSON and checksums shared by checkpoints and workflow steps: one way to write, one way to verify.</summary>
internal static class DurableCodec
{
    public static byte[] Serialize<T>(T value, JsonSerializerOptions? options)
        => JsonSerializer.SerializeToUtf8Bytes(value, options ?? JsonSerializerOptions.Default);

    public static T? Deserialize<T>(ReadOnlyMemory<byte> data, JsonSerializerOptions? options)
        => JsonSerializer.Deserialize<T>(data.Span, options ?? JsonSerializerOptions.Default);

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
}
