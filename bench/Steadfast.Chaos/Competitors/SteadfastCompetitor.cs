using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Steadfast.Chaos.World;

namespace Steadfast.Chaos.Competitors;

/// <summary>
/// Steadfast: one <see cref="ResilienceEngine"/> (learning on, in memory) with one strategy per provider, in the world's
/// order, all of priority 1 (so ties keep that order and the engine's learning does the ranking), called with
/// <see cref="ResilienceEngine.ExecuteWithAlternativesAsync{T}(IEnumerable{Strategy{T}}, string, ExecutionMode, CancellationToken)"/>.
/// </summary>
internal sealed class SteadfastCompetitor : ICompetitor
{
    private const string Operation = "quote";

    private readonly ServiceProvider _services;
    private readonly ResilienceEngine _engine;
    private readonly Strategy<string>[] _strategies;
    private readonly ExecutionMode _mode;
    private readonly AttemptTally _tally = new();

    public SteadfastCompetitor(string name, ExecutionMode mode, IReadOnlyList<ProviderEndpoint> endpoints, Tuning tuning)
    {
        Name = name;
        _mode = mode;

        // The same HttpClient plumbing as the Polly competitors (IHttpClientFactory's default handler), without handlers.
        var services = new ServiceCollection();
        services.AddHttpClient(name, client => client.Timeout = Timeout.InfiniteTimeSpan);
        _services = services.BuildServiceProvider();
        var client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

        _strategies = endpoints
            .Select(endpoint => new Strategy<string>(endpoint.Name, ct => ProviderCalls.GetAsync(client, endpoint, ct)))
            .ToArray();
        _engine = new ResilienceEngine(new ResilienceOptions
        {
            MaxTotalTime = tuning.Deadline,
            StrategyTimeout = Tuning.AttemptTimeout,
            MaxAttempts = Tuning.RetriesPerProvider + 1,
            InitialDelay = Tuning.RetryDelay,
        });
    }

    public string Name { get; }

    public async Task<CallResult> CallAsync(CancellationToken cancellationToken)
    {
        var result = await _engine.ExecuteWithAlternativesAsync(_strategies, Operation, _mode, cancellationToken);
        _tally.Add(result);
        return result.Success ? CallResult.Served(result.Value!) : CallResult.Failed(result.StopReason.ToString());
    }

    public async Task<IReadOnlyList<string>> DescribeAsync()
    {
        var lines = new List<string>(_tally.Describe());
        if (_engine.Analyzer is { } analyzer)
        {
            foreach (var s in analyzer.GetAllStrategyStatistics(Operation).OrderBy(s => s.StrategyName, StringComparer.Ordinal))
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"statistics {s.StrategyName}: {s.Successes} successes, {s.Failures} failures, mean latency {s.MeanLatency.TotalMilliseconds:0.0} ms"));
            }

            foreach (var entry in await analyzer.GetBlacklistAsync())
            {
                var expires = entry.ExpiresAt is { } at ? string.Create(CultureInfo.InvariantCulture, $"{(at - entry.AddedAt).TotalMinutes:0.#} min after it was added") : "never";
                lines.Add($"blacklisted at the end: {entry.StrategyName} ({(entry.IsAutomatic ? "automatic" : "manual")}, \"{entry.Reason}\", expires {expires})");
            }
        }

        foreach (var circuit in _engine.CircuitBreakers.GetAllStatus().OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"circuit {circuit.Name} at the end: {circuit.State}, opened {circuit.ConsecutiveOpenings} time(s) in a row"));
        }

        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        await _services.DisposeAsync();
    }
}
