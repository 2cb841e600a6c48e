using System.Globalization;

namespace Steadfast;

/// <summary>
/// Option checks with the core's message shape ("Type.Property must be between min and max; was value.", see
/// src/Steadfast/Validation/Guard.cs, which is internal to the core).
/// </summary>
internal static class CreativeGuard
{
    public static void InRange<T>(T value, T min, T max, string name)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} must be between {Format(min)} and {Format(max)}; was {Format(value)}.");
        }
    }

    public static string Format<T>(T value) => value switch
    {
        null => "null",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
