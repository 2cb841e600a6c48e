using System.Globalization;

namespace Steadfast.Cli.Infrastructure;

/// <summary>
/// Parses the durations operators type: <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>7d</c>, <c>250ms</c>, <c>1.5h</c>,
/// or a .NET time span (<c>00:05:00</c>). A bare number is not a duration (is <c>90</c> seconds or days?): the error
/// suggests the unit instead of guessing.
/// </summary>
internal static class DurationParser
{
    private static readonly (string Suffix, double Seconds)[] Units =
    [
        ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400), ("w", 604800),
    ];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (IsBareNumber(text))
        {
            return false; // TimeSpan would read "90" as 90 days
        }

        foreach (var (suffix, seconds) in Units.OrderByDescending(u => u.Suffix.Length))
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && value >= 0 && double.IsFinite(value) && value * seconds <= TimeSpan.MaxValue.TotalSeconds)
            {
                duration = TimeSpan.FromSeconds(value * seconds);
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    /// <summary>Parses or throws a usage error naming the option and the accepted forms (with the unit it probably lacks).</summary>
    public static TimeSpan Parse(string optionName, string? text) =>
        TryParse(text, out var d) ? d : throw CliException.Usage(NotADuration(optionName, text));

    /// <summary>
    /// The error for a value that is not a duration: names the option and the value, and for a bare number the unit it
    /// probably lacks (<paramref name="likelyUnit"/>: seconds for how long something runs, days for how far back).
    /// </summary>
    public static string NotADuration(string optionName, string? text, string likelyUnit = "s") =>
        text is not null && IsBareNumber(text.Trim())
            ? $"{optionName}: '{text}' has no unit; did you mean {text.Trim()}{likelyUnit}? Durations take a unit: ms, s, m, h, d or w (30s, 5m, 1h, 7d)."
            : $"{optionName}: '{text}' is not a duration; use a number with a unit such as 30s, 5m, 1h or 7d.";

    private static bool IsBareNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0;

    /// <summary>Formats a duration the way <see cref="TryParse"/> reads it.</summary>
    public static string Format(TimeSpan t) => t switch
    {
        _ when t.TotalDays >= 1 && t.TotalDays == Math.Floor(t.TotalDays) => $"{t.TotalDays:0}d",
        _ when t.TotalHours >= 1 => $"{t.TotalHours:0.#}h",
        _ when t.TotalMinutes >= 1 => $"{t.TotalMinutes:0.#}m",
        _ when t.TotalSeconds >= 1 => $"{t.TotalSeconds:0.#}s",
        _ => $"{t.TotalMilliseconds:0}ms",
    };
}
