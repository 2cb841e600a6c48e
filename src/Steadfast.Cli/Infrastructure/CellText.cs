namespace Steadfast.Cli.Infrastructure;

/// <summary>Free text in table cells (messages, reasons, errors): cut to a length, so identifier columns keep their words whole.</summary>
internal static class CellText
{
    /// <summary>The longest reason or error a table shows; --json has the whole text.</summary>
    public const int MaxLength = 80;

    public static string Truncate(string text, int max = MaxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
    }
}
