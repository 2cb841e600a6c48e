using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Steadfast.Cli.Infrastructure;

/// <summary>
/// Turns System.CommandLine's parse errors into the CLI's own lines, one per mistake, in the user's words:
/// <c>--seed must be a whole number; was 'abc'.</c> rather than <c>as expected type 'System.Int32'</c>, and an unknown
/// command as one line rather than two. The last line says where help is.
/// </summary>
internal static class ParseErrorText
{
    public static IReadOnlyList<string> Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var lines = new List<string>();
        var unknown = parse.UnmatchedTokens;
        foreach (var token in unknown)
        {
            lines.Add(token.StartsWith('-') ? $"unknown option '{token}'." : $"unknown command or argument '{token}'.");
        }

        foreach (var error in parse.Errors)
        {
            if (unknown.Any(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal)))
            {
                continue; // already said, in our words
            }

            var line = TypeError(error) ?? MissingCommand(error, unknownTokens: unknown.Count) ?? error.Message;
            if (line.Length > 0 && !lines.Contains(line))
            {
                lines.Add(line);
            }
        }

        if (lines.Count == 0)
        {
            lines.Add("the command line is not valid.");
        }

        var command = string.Join(' ', Path(parse.CommandResult));
        lines[^1] += $" Run '{command} --help' for usage.";
        return lines;
    }

    /// <summary>A value that does not convert to the option's type, said in words.</summary>
    private static string? TypeError(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        if (option is null)
        {
            return null;
        }

        var type = Nullable.GetUnderlyingType(option.Option.ValueType) ?? option.Option.ValueType;
        var kind = type == typeof(int) || type == typeof(long) ? "a whole number"
            : type == typeof(double) || type == typeof(decimal) ? "a number"
            : type == typeof(bool) ? "true or false"
            : null;
        if (kind is null)
        {
            return null;
        }

        var bad = option.Tokens.Select(t => t.Value).FirstOrDefault(v => !Converts(v, type));
        return bad is null ? null : $"{option.Option.Name} must be {kind}; was '{bad}'.";
    }

    /// <summary>A command that only groups others (<c>steadfast blacklist</c>), given none of them.</summary>
    private static string? MissingCommand(ParseError error, int unknownTokens)
    {
        if (error.SymbolResult is not CommandResult { Command: { Action: null } command } || command.Subcommands.Count == 0)
        {
            return null;
        }

        // "steadfast bogus": the unknown command is the mistake; that no command was given follows from it.
        return unknownTokens > 0
            ? string.Empty
            : $"'{command.Name}' needs a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}.";
    }

    private static bool Converts(string value, Type type) =>
        type == typeof(bool) ? bool.TryParse(value, out _)
        : type == typeof(int) ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
        : type == typeof(long) ? long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static Stack<string> Path(SymbolResult? result)
    {
        var names = new Stack<string>();
        for (var current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult c)
            {
                names.Push(c.Command.Name);
            }
        }

        return names;
    }
}
