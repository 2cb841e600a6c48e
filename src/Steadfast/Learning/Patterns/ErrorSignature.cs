using System.Text.RegularExpressions;

namespace Steadfast;

/// <summary>
/// What makes two failures "the same error": the exception type plus the message with GUIDs, hexadecimal ids
/// and numbers replaced, so "order 1234 not found" and "order 98 not found" match.
/// </summary>
internal static partial class ErrorSignature
{
    public static string Of(Failure failure) => Of(failure.ErrorType, failure.ErrorMessage);

    public static string Of(string errorType, string message) => errorType + ": " + Normalize(message);

    public static string Normalize(string message)
    {
        var s = Guid().Replace(message, "<guid>");
        s = HexId().Replace(s, "<hex>");
        return Number().Replace(s, "<n>");
    }

    [GeneratedRegex(@"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}", RegexOptions.CultureInvariant)]
    private static partial Regex Guid();

    [GeneratedRegex(@"\b(0x)?(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{6,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex HexId();

    [GeneratedRegex(@"\d+(\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
