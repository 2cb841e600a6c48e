namespace Steadfast.Cli.Infrastructure;

/// <summary>The exit codes of the steadfast command; scripts and cron jobs rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran but failed (missing database, store error, demo interrupted before any call).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: unknown command or option, bad duration or number.</summary>
    public const int Usage = 2;

    /// <summary>Ctrl+C stopped the command (128 + SIGINT, as shells report it); the demo still printed its report.</summary>
    public const int Interrupted = 130;
}
