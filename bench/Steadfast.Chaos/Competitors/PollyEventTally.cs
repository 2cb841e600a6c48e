using System.Globalization;
using Polly.Telemetry;
using Steadfast.Chaos.World;

namespace Steadfast.Chaos.Competitors;

/// <summary>Counts Polly's resilience events (retries, hedges, circuits opening, timeouts), for the report's notes.</summary>
internal sealed class PollyEventTally(IReadOnlyList<ProviderEndpoint> endpoints) : TelemetryListener
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public override void Write<TResult, TArgs>(in TelemetryEventArguments<TResult, TArgs> args)
    {
        var name = args.Event.EventName;
        if (name is "PipelineExecuting" or "PipelineExecuted" or "ExecutionAttempt")
        {
            return;
        }

        var key = $"{Readable(args.Source.PipelineName)}{Instance(args.Source.PipelineInstanceName)} {args.Source.StrategyName}: {name}";
        lock (_lock)
        {
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }
    }

    public IReadOnlyList<string> Describe()
    {
        lock (_lock)
        {
            return _counts.OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}: {c.Value}"))
                .ToArray();
        }
    }

    private string Instance(string? instance) => string.IsNullOrEmpty(instance) ? "" : $"[{Readable(instance)}]";

    // Per-endpoint pipelines are keyed by authority (http://127.0.0.1:port): name the provider instead.
    private string Readable(string? name)
    {
        if (name is null)
        {
            return "";
        }

        foreach (var endpoint in endpoints)
        {
            name = name.Replace(endpoint.BaseUri.GetLeftPart(UriPartial.Authority), endpoint.Name, StringComparison.Ordinal);
        }

        return name;
    }
}
