using System.Globalization;

namespace Steadfast;

/// <summary>Option checks with messages that name the property, the value and the allowed range.</summary>
internal static class DurableValidation
{
    public static void InRange(string property, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(property, value, string.Create(CultureInfo.InvariantCulture,
                $"{property} must be between {min} and {max}; was {value}."));
        }
    }

    public static void InRange(string property, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(property, value, string.Create(CultureInfo.InvariantCulture,
                $"{property} must be between {min} and {max}; was {value}."));
        }
    }

    public static void Id(string parameter, string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException($"{parameter} must be a non-empty id; was '{id}'.", parameter);
        }

        if (id.Length > 200)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{parameter} must be at most 200 characters long; was {id.Length}."), parameter);
        }
    }
}
