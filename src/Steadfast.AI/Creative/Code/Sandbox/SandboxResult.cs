using System.Globalization;

namespace Steadfast.AI.Creative;

/// <summary>How a sandboxed run ended.</summary>
/// <param name="ExitCode">The exit code of the sandbox (128 + the signal when the program was killed by one).</param>
/// <param name="Output">Standard output, at most the configured number of bytes.</param>
/// <param name="ErrorOutput">The start of standard error, for diagnosis.</param>
/// <param name="TimedOut">The wall-clock limit passed and the process tree was killed.</param>
/// <param name="OutputLimitExceeded">The program wrote more than allowed and was killed.</param>
internal sealed record SandboxResult(int ExitCode, string Output, string ErrorOutput, bool TimedOut, bool OutputLimitExceeded)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut && !OutputLimitExceeded;

    public string Describe()
    {
        if (TimedOut)
        {
            return "was killed: it passed the wall-clock limit";
        }

        if (OutputLimitExceeded)
        {
            return "was killed: it wrote more output than allowed";
        }

        var code = ExitCode.ToString(CultureInfo.InvariantCulture);
        var text = ExitCode switch
        {
            0 => "exited normally",
            137 => "was killed (SIGKILL: a CPU, memory or process limit)",
            152 => "was killed (SIGXCPU: the CPU limit)",
            153 => "was killed (SIGXFSZ: the file size limit)",
            134 => "aborted (an unhandled exception or out of memory)",

            // As pid 1 of its namespace the program cannot be ended by its own SIGABRT; the runtime's abort then ends in SIGSEGV.
            139 => "crashed (an unhandled exception, out of memory, or a memory fault)",
            _ => "exited with code " + code,
        };
        var error = ErrorOutput.Length == 0 ? string.Empty : ": " + FirstLine(ErrorOutput);
        return text + error;
    }

    private static string FirstLine(string text)
    {
        var line = text.AsSpan().Trim();
        var end = line.IndexOf('\n');
        return (end < 0 ? line : line[..end]).ToString();
    }
}
