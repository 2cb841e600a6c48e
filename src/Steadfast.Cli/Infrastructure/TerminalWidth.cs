using System.Globalization;

namespace Steadfast.Cli.Infrastructure;

/// <summary>
/// How wide tables are drawn. On a terminal, its width (Spectre reads it). Piped or redirected, <c>COLUMNS</c> when it
/// is set, as shells and tools such as <c>ls</c> do; otherwise wide enough that a table keeps every word whole instead
/// of breaking <c>fetch_quote</c> into <c>fetch_quot</c>/<c>e</c> at 80 columns.
/// </summary>
internal static class TerminalWidth
{
    /// <summary>The width of redirected output when <c>COLUMNS</c> says nothing.</summary>
    public const int Redirected = 160;

    /// <summary>The narrowest width taken from <c>COLUMNS</c>; below it tables cannot keep their words.</summary>
    public const int Min = 40;

    /// <summary>The width to draw at, or <see langword="null"/> to let Spectre ask the terminal.</summary>
    public static int? Resolve(bool outputRedirected, string? columns)
    {
        if (int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var fromEnvironment) && fromEnvironment > 0)
        {
            return Math.Clamp(fromEnvironment, Min, 1000);
        }

        return outputRedirected ? Redirected : null;
    }
}
