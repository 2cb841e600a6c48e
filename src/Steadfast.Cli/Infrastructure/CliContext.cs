using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Steadfast.Cli.Infrastructure;

/// <summary>
/// Everything a command needs from its surroundings: where to write, the clock, and the process's
/// cancellation (Ctrl+C). Tests build one over string writers; <see cref="Program"/> builds the real one.
/// </summary>
internal sealed class CliContext
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new JsonTimestampConverter(), new JsonDateTimeConverter() },
    };

    public CliContext(IAnsiConsole console, TextWriter output, TextWriter error, TimeProvider? timeProvider = null)
    {
        Console = console;
        Output = output;
        Error = error;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Rich output: tables, charts, live progress.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Plain standard output, for --json and help.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error: one-line user errors.</summary>
    public TextWriter Error { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Writes a value as indented JSON (camelCase, enums as strings, times as <see cref="JsonTimestampConverter"/> writes them) to standard output.</summary>
    public void WriteJson<T>(T value)
    {
        Output.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
        Output.Flush();
    }

    /// <summary>Builds a context on the process's console; tables fit the terminal, or <c>COLUMNS</c> when output is piped (<see cref="TerminalWidth"/>).</summary>
    public static CliContext ForProcess()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
        });
        if (TerminalWidth.Resolve(System.Console.IsOutputRedirected, Environment.GetEnvironmentVariable("COLUMNS")) is { } width)
        {
            console.Profile.Width = width;
        }

        return new CliContext(console, System.Console.Out, System.Console.Error);
    }

    /// <summary>Builds a context over writers, without colours or terminal control codes (tests, redirected output).</summary>
    public static CliContext ForWriters(TextWriter output, TextWriter error, TimeProvider? timeProvider = null, int width = 160)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        return new CliContext(console, output, error, timeProvider);
    }
}
