namespace Steadfast.Cli.Demo;

/// <summary>What the demo was asked to do (from the command line).</summary>
internal sealed record DemoSettings(string Database, TimeSpan Duration, int Seed, bool Parallel, bool Fresh, int Concurrency)
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(1);
    public const int DefaultSeed = 42;
    public const int DefaultConcurrency = 4;
    public const int MaxConcurrency = 64;
}
