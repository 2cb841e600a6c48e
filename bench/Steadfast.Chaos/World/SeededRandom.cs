namespace Steadfast.Chaos.World;

/// <summary>A seeded <see cref="Random"/> that Kestrel's request threads may share (Polly's chaos <c>Randomizer</c>).</summary>
internal sealed class SeededRandom(int seed)
{
    private readonly Lock _lock = new();
    private readonly Random _random = new(seed);

    public double NextDouble()
    {
        lock (_lock)
        {
            return _random.NextDouble();
        }
    }
}
