namespace Steadfast.Cli.Tests.Demo;

/// <summary>
/// The tests that run the demo. A virtual-time run advances its clock only once none of its work is on the thread pool
/// (Infrastructure/PoolQuiescence), so the same seed gives the same figures; it tells its own work from other work by
/// watching the pool, which only holds while nothing else in the process keeps the pool busy, as when a user runs the
/// demo. So these tests run alone: not in parallel with each other or with any other test of this assembly.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class VirtualTimeCollection
{
    /// <summary>The collection's name, for <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "Demo runs (virtual time, alone)";
}
