namespace Steadfast.Chaos.Competitors;

/// <summary>One way to call the world's providers, fresh for its run (no state carried over from another run).</summary>
internal interface ICompetitor : IAsyncDisposable
{
    /// <summary>The competitor's name in the report (<c>--only</c> takes it).</summary>
    string Name { get; }

    /// <summary>Makes one call. The token is the call's deadline; when it fires the call counts as failed.</summary>
    Task<CallResult> CallAsync(CancellationToken cancellationToken);

    /// <summary>What the competitor itself saw, for the report's notes (after the run).</summary>
    Task<IReadOnlyList<string>> DescribeAsync();
}
