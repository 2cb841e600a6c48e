namespace Steadfast.Cli.Infrastructure;

/// <summary>
/// A user-facing error: printed as one line ("error: ...") without a stack trace, and turned into an exit code.
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

    /// <summary>A usage error (exit code 2): the command line was wrong, nothing was done.</summary>
    public static CliException Usage(string message) => new(message, ExitCodes.Usage);
}
