namespace Steadfast;

/// <summary>Defaults and fixed names of the creative solver.</summary>
internal static class CreativeConstants
{
    /// <summary>The function the model calls to propose a program instead of a tool call.</summary>
    public const string GeneratedCodeToolName = "run_csharp_program";

    /// <summary>The prefix of every strategy name the solver makes, so reports tell its strategies apart.</summary>
    public const string StrategyPrefix = "creative:";

    public const int DefaultMaxProposalsPerRequest = 3;
    public const int DefaultMaxRememberedProposals = 256;
    public const int DefaultMaxHistory = 256;
    public const int MaxSampleLength = 1024;

    public static readonly TimeSpan DefaultCodeTimeout = TimeSpan.FromSeconds(10);
    public const int DefaultCpuSeconds = 5;
    public const long DefaultAddressSpaceBytes = 3L * 1024 * 1024 * 1024;
    public const long MinAddressSpaceBytes = 2L * 1024 * 1024 * 1024;
    public const long DefaultHeapLimitBytes = 256L * 1024 * 1024;
    public const int DefaultMaxOutputBytes = 64 * 1024;
    public const long DefaultMaxFileBytes = 1024 * 1024;
    public const int DefaultMaxProcesses = 256;
    public const long DefaultTmpfsBytes = 16L * 1024 * 1024;
    public const int DefaultMaxSourceLength = 16_000;
}
