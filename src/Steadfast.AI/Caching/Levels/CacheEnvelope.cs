using System.Buffers.Binary;
using System.Text;
using Steadfast.Caching;

namespace Steadfast.AI.Caching;

/// <summary>
/// The bytes an entry has in the distributed cache (L3), which keeps only a value per key: the times and tags first, so a reader
/// knows whether the entry is fresh, stale or invalidated by a tag without another round trip.
/// Layout: version byte, created/expires/stale-until ticks (3 × int64), tag count (int32), each tag (int32 length + UTF-8), value.
/// </summary>
internal static class CacheEnvelope
{
    private const byte FormatVersion = 1;

    public static byte[] Encode(CacheStoreEntry entry)
    {
        var tagBytes = entry.Tags.Select(Encoding.UTF8.GetBytes).ToArray();
        var length = 1 + 24 + 4 + tagBytes.Sum(t => 4 + t.Length) + entry.Value.Length;
        var buffer = new byte[length];
        var span = buffer.AsSpan();
        span[0] = FormatVersion;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], entry.CreatedAt.UtcTicks);
        BinaryPrimitives.WriteInt64LittleEndian(span[9..], entry.ExpiresAt.UtcTicks);
        BinaryPrimitives.WriteInt64LittleEndian(span[17..], entry.StaleUntil.UtcTicks);
        BinaryPrimitives.WriteInt32LittleEndian(span[25..], tagBytes.Length);
        var at = 29;
        foreach (var tag in tagBytes)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], tag.Length);
            tag.CopyTo(span[(at + 4)..]);
            at += 4 + tag.Length;
        }

        entry.Value.CopyTo(span[at..]);
        return buffer;
    }

    /// <summary>Decodes an entry; <see langword="null"/> for bytes that are not an envelope (another writer's key): a miss, never an error.</summary>
    public static CacheStoreEntry? Decode(string key, string ns, byte[] bytes)
    {
        if (bytes.Length < 29 || bytes[0] != FormatVersion)
        {
            return null;
        }

        var span = bytes.AsSpan();
        var created = new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(span[1..]), TimeSpan.Zero);
        var expires = new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(span[9..]), TimeSpan.Zero);
        var stale = new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(span[17..]), TimeSpan.Zero);
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[25..]);
        var at = 29;
        var tags = new string[Math.Max(0, count)];
        for (var i = 0; i < tags.Length; i++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
            tags[i] = Encoding.UTF8.GetString(span.Slice(at + 4, length));
            at += 4 + length;
        }

        return new CacheStoreEntry(key, ns, span[at..].ToArray(), created, expires, stale, tags);
    }
}
