namespace Steadfast.Cli.Demo;

/// <summary>What the demo was asked to do (from the command line).</summary>
internal sealed record DemoSettings(string Database, TimeSpan Duration, int Seed, ExecutionMode Mode, bool Fresh, int Concurrency, bool VirtualTime = false,
    int? DashboardPort = null)
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);
    public const int DefaultSeed = 42;
    public const int DefaultConcurrency = 4;
    public const int MaxConcurrency = 64;

    /// <summary>The port of <c>--dashboard</c> without <c>--dashboard-port</c>.</summary>
    public const int DefaultDashboardPort = 5080;

    /// <summary>The gap between two virtual-time runs on one database: a run starts a second after the previous one ended.</summary>
    public static readonly TimeSpan VirtualGap = TimeSpan.FromSeconds(1);
}
