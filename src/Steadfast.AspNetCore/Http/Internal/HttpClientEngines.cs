using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Steadfast.AspNetCore.Http.Internal;

/// <summary>
/// One <see cref="ResilienceEngine"/> per HttpClient name, built from the client's current <see cref="SteadfastHttpClientOptions"/>
/// and built again when they change (a reload of <c>Steadfast:Http:&lt;name&gt;</c>): new requests get the new options, requests
/// in flight finish on the engine they started with. Every engine shares the container's <see cref="FailureAnalyzer"/> and
/// <see cref="CircuitBreakerRegistry"/>, so what was learned and the circuits' states survive a reload and show up wherever
/// the application looks at them.
/// </summary>
internal sealed class HttpClientEngines(
    IOptionsMonitor<SteadfastHttpClientOptions> options,
    FailureAnalyzer analyzer,
    CircuitBreakerRegistry circuitBreakers,
    TimeProvider timeProvider,
    ILoggerFactory? loggerFactory = null)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ClientEngine> _engines = new(StringComparer.Ordinal);

    /// <summary>The clock every client's engine runs on.</summary>
    public TimeProvider Time => timeProvider;

    /// <summary>The engine for <paramref name="clientName"/>'s current options, and those options.</summary>
    public ClientEngine Get(string clientName)
    {
        // The monitor hands out the same instance until the configuration changes: comparing references is the change check.
        var current = options.Get(clientName);
        lock (_lock)
        {
            if (_engines.TryGetValue(clientName, out var known) && ReferenceEquals(known.Options, current))
            {
                return known;
            }
        }

        // Built outside the lock (the constructor validates and copies); two racing builds for one change are both valid.
        // Given the container's analyzer and registry, the engine owns nothing to dispose: replaced engines are simply dropped.
#pragma warning disable CA2000 // See above: nothing owned.
        var engine = new ResilienceEngine(
            current.Engine,
            current.Engine.EnableLearning ? analyzer : null,
            timeProvider,
            loggerFactory,
            circuitBreakers);
#pragma warning restore CA2000
        var built = new ClientEngine(current, engine, current.OperationName ?? clientName);
        lock (_lock)
        {
            _engines[clientName] = built;
        }

        return built;
    }
}

/// <summary>A client's options, the engine built from them, and the operation name its requests run under.</summary>
internal sealed record ClientEngine(SteadfastHttpClientOptions Options, ResilienceEngine Engine, string OperationName);
