using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steadfast.Cli.Infrastructure;

/// <summary>
/// The one way the CLI writes a point in time in JSON: ISO 8601 in UTC with milliseconds and the offset, for example
/// <c>2026-11-22T12:00:00.000+00:00</c>, whichever command and whatever precision the value had.
/// </summary>
internal sealed class JsonTimestampConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => DateTimeOffset.Parse(reader.GetString() ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(ToText(value));
    }

    /// <summary>The text of <paramref name="value"/> in the CLI's JSON.</summary>
    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}

/// <summary><see cref="JsonTimestampConverter"/> for <see cref="DateTime"/> values (taken as UTC when unspecified).</summary>
internal sealed class JsonDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => DateTimeOffset.Parse(reader.GetString() ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime;

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var utc = value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime();
        writer.WriteStringValue(JsonTimestampConverter.ToText(new DateTimeOffset(utc)));
    }
}
