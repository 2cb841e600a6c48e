using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steadfast.Tests.Durable;

public sealed class DurableCodecTests
{
    private static readonly Payload Sample = new(42, "forty-two", [1, 2, 3]);

    [Fact]
    public void Serialize_NoOptions_WritesWhatJsonSerializerDefaultsWrite()
    {
        // Data stored before the codec resolved type info itself must read, and compare, the same.
        var expected = JsonSerializer.SerializeToUtf8Bytes(Sample, JsonSerializerOptions.Default);

        Assert.Equal(expected, DurableCodec.Serialize(Sample, options: null));
    }

    [Fact]
    public void Serialize_OptionsWithoutResolver_UsesTheirSettings()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

        var json = Encoding.UTF8.GetString(DurableCodec.Serialize(Sample, options));

        Assert.Contains("\"item_count\":42", json, StringComparison.Ordinal);
        Assert.Equal(Sample.Name, DurableCodec.Deserialize<Payload>(Encoding.UTF8.GetBytes(json), options)!.Name);
    }

    [Fact]
    public void Serialize_SourceGeneratedContextOptions_UsesTheContext()
    {
        // The way a trimmed or AOT app configures it: the context's own options (camelCase here; the default is PascalCase).
        var options = CamelCaseContext.Default.Options;

        var data = DurableCodec.Serialize(Sample, options);

        Assert.Contains("\"itemCount\":42", Encoding.UTF8.GetString(data), StringComparison.Ordinal);
        var back = DurableCodec.Deserialize<Payload>(data, options)!;
        Assert.Equal((Sample.ItemCount, Sample.Name), (back.ItemCount, back.Name));
        Assert.Equal(Sample.Tags, back.Tags);
    }

    [Fact]
    public void Serialize_ResolverWithoutTheType_ThrowsNotSupported()
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = CamelCaseContext.Default };

        Assert.Throws<NotSupportedException>(() => DurableCodec.Serialize(new Unlisted("x"), options));
    }

    [Fact]
    public void FileCheckpointJsonContext_WorkflowInfo_WritesWhatReflectionWrote()
    {
        // Files written by FileCheckpointStore before its JSON was source-generated must read the same.
        var info = new WorkflowInfo("wf-1", WorkflowStatus.Failed, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), 2, 3, "boom");
        var header = new FileCheckpointStore.FileHeader(1, 99, "abc", null);

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(info, JsonSerializerOptions.Default),
            JsonSerializer.SerializeToUtf8Bytes(info, FileCheckpointJsonContext.Default.WorkflowInfo));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(header, JsonSerializerOptions.Default),
            JsonSerializer.SerializeToUtf8Bytes(header, FileCheckpointJsonContext.Default.FileHeader));
    }

    public sealed record Payload(int ItemCount, string Name, int[] Tags);

    public sealed record Unlisted(string Value);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DurableCodecTests.Payload))]
internal sealed partial class CamelCaseContext : JsonSerializerContext
{
}
