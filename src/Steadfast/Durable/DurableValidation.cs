using System.Globalization;

namespace Steadfast;

/// <summary>Checks of the ids durable features key their data on (ranges and options go through <see cref="Guard"/>).</summary>
internal static class DurableValidation
{
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
