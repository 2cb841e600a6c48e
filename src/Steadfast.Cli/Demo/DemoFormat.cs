using System.Globalization;
using System.Text.RegularExpressions;

namespace Steadfast.Cli.Demo;

/// <summary>How the demo writes times, spans and numbers: dates always (ISO 8601, UTC), spans under a second in milliseconds.</summary>
internal static partial class DemoFormat
{
    /// <summary>An instant as ISO 8601 with the date, in UTC, to the second: <c>2026-11-22T12:00:05Z</c>.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A span: milliseconds under a second (never "0 s"), else seconds, minutes or hours.</summary>
    public static string Span(TimeSpan span) => span.TotalSeconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, span.TotalMilliseconds):0} ms"),
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h"),
    };

    /// <summary>Milliseconds, or "-" when there is no figure.</summary>
    public static string Milliseconds(double? ms) => ms is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0}") : "-";

    /// <summary>
    /// Text the library wrote, with its sub-second spans said truthfully: the library rounds spans to whole seconds, so a burst
    /// of failures within half a second reads "in 0 s". Until it prints milliseconds itself, the demo says "in under a second".
    /// </summary>
    public static string LibraryText(string text) => ZeroSeconds().Replace(text, "${word} under a second");

    [GeneratedRegex(@"\b(?<word>in|within|for) 0 s\b", RegexOptions.CultureInvariant)]
    private static partial Regex ZeroSeconds();
}
