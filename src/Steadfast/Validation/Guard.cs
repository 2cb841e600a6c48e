using System.Globalization;
using System.Runtime.CompilerServices;

namespace Steadfast;

/// <summary>
/// The one place option validation builds its messages, so every invalid option reads the same way:
/// <c>"RetryOptions.MaxAttempts must be between 1 and 100; was 0."</c> — the owner type, the property, the
/// allowed range and the value, which is what a user needs to fix it.
/// </summary>
/// <remarks>
/// The property name is taken from the argument expression: inside an options type call
/// <c>Guard.InRange(MaxAttempts, 1, 100, nameof(RetryOptions))</c>; from outside, <c>options.MaxAttempts</c>
/// works too (the last member of the expression is used). Range failures throw
/// <see cref="ArgumentOutOfRangeException"/>, other rule failures <see cref="ArgumentException"/>; the
/// exception's <see cref="ArgumentException.ParamName"/> is <c>Owner.Property</c>.
/// </remarks>
internal static class Guard
{
    /// <summary>Requires <paramref name="min"/> &lt;= value &lt;= <paramref name="max"/>.</summary>
    public static T InRange<T>(T value, T min, T max, string owner, [CallerArgumentExpression(nameof(value))] string? expression = null)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            var name = Name(owner, expression);
            throw new ArgumentOutOfRangeException(name, $"{name} must be between {Format(min)} and {Format(max)}; was {Format(value)}.");
        }

        return value;
    }

    /// <summary>Requires value &gt;= <paramref name="min"/>.</summary>
    public static T AtLeast<T>(T value, T min, string owner, [CallerArgumentExpression(nameof(value))] string? expression = null)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0)
        {
            var name = Name(owner, expression);
            throw new ArgumentOutOfRangeException(name, $"{name} must be at least {Format(min)}; was {Format(value)}.");
        }

        return value;
    }

    /// <summary>Requires a value that is not null, empty or white space.</summary>
    public static string NotNullOrWhiteSpace(string? value, string owner, [CallerArgumentExpression(nameof(value))] string? expression = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            var name = Name(owner, expression);
            throw new ArgumentException($"{name} must not be null, empty or white space; was {Format(value)}.", name);
        }

        return value;
    }

    /// <summary>Requires a condition across fields; <paramref name="rule"/> says what must hold, e.g. "must be at least InitialDelay (00:00:01)".</summary>
    public static void That<T>(bool condition, T value, string rule, string owner, [CallerArgumentExpression(nameof(value))] string? expression = null)
    {
        if (!condition)
        {
            var name = Name(owner, expression);
            throw new ArgumentException($"{name} {rule}; was {Format(value)}.", name);
        }
    }

    /// <summary>Formats a value the way validation messages show it (invariant culture; TimeSpans as <c>c</c>).</summary>
    public static string Format<T>(T value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };

    private static string Name(string owner, string? expression)
    {
        if (string.IsNullOrEmpty(expression))
        {
            return owner;
        }

        var dot = expression.LastIndexOf('.');
        return $"{owner}.{(dot >= 0 ? expression[(dot + 1)..] : expression)}";
    }
}
