namespace Steadfast.Cli.Infrastructure;

/// <summary>
/// A user-facing error: printed as one line ("error: ...") without a stack trace, and turned into an exit code. With
/// --json it is printed as one JSON object too: <see cref="Result"/> (what the command found, if anything) with
/// <c>error</c> and <c>exitCode</c>.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : this(message, ExitCodes.Failure)
    {
    }

    public CliException(string message, int exitCode)
        : base(message) => ExitCode = exitCode;

    public CliException()
        : this("The command failed.")
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = ExitCodes.Failure;

    /// <summary>The exit code the command ends with.</summary>
    public int ExitCode { get; }

    /// <summary>The command's result, shown before <c>error</c> and <c>exitCode</c> in --json output (for example <c>removed: false</c>).</summary>
    public IReadOnlyDictionary<string, object?>? Result { get; init; }

    /// <summary>A usage error (exit code 2): the command line was wrong, nothing was done.</summary>
    public static CliException Usage(string message) => new(message, ExitCodes.Usage);
}
