namespace Steadfast.Chaos.World;

/// <summary>One run of the world's script: the providers' fresh state, counters and clock.</summary>
internal sealed class WorldRun : IDisposable
{
    private readonly CancellationTokenSource _ended = new();

    public WorldRun(TimeProvider time, TimeSpan duration, int seed, int rateLimitPerSecond)
    {
        Script = new WorldScript(time, duration);
        Providers = ProviderSpec.All
            .Select((spec, i) => new ProviderRun(spec, Script, HashCode.Combine(seed, i), rateLimitPerSecond))
            .ToArray();
    }

    public WorldScript Script { get; }

    public IReadOnlyList<ProviderRun> Providers { get; }

    /// <summary>Cancelled when the run ends: requests still held (black-holed) are dropped then.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Ends the run (dropping held requests) and returns what each provider saw.</summary>
    public IReadOnlyList<ProviderTally> End()
    {
        _ended.Cancel();
        return Providers.Select(p => p.Tally()).ToArray();
    }

    public void Dispose()
    {
        _ended.Dispose();
        foreach (var provider in Providers)
        {
            provider.Dispose();
        }
    }
}
