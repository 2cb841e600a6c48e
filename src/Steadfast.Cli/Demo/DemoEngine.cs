using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Steadfast.Cli.Demo;

/// <summary>
/// Builds the demo's engine with its retry jitter drawn from the demo's seed, so a virtual-time run repeats exactly.
/// </summary>
/// <remarks>
/// The engine draws its backoff jitter from <see cref="Random.Shared"/>, which no seed reaches, and takes another source
/// only through an internal constructor (the one its tests use). Until the engine offers that publicly, the demo calls it
/// by reflection; REPLACE this with the public seam when there is one. If the constructor is not found, the engine is
/// built the public way: everything works, only the jitter is no longer repeatable (the determinism test says so).
/// </remarks>
internal static class DemoEngine
{
    public static ResilienceEngine Create(ResilienceOptions options, FailureAnalyzer analyzer, TimeProvider time, CircuitBreakerRegistry registry, Func<double> jitter)
    {
        var seeded = typeof(ResilienceEngine)
            .GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic)
            .FirstOrDefault(c => c.GetParameters().Count(p => p.ParameterType == typeof(Func<double>)) == 1);
        if (seeded is null)
        {
            return new ResilienceEngine(options, analyzer, time, loggerFactory: null, registry);
        }

        var arguments = seeded.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(ResilienceOptions) => options,
            var t when t == typeof(FailureAnalyzer) => analyzer,
            var t when t == typeof(TimeProvider) => time,
            var t when t == typeof(CircuitBreakerRegistry) => registry,
            var t when t == typeof(Func<double>) => jitter,
            var t when t == typeof(ILoggerFactory) => null,
            _ => p.HasDefaultValue ? p.DefaultValue : null,
        }).ToArray();
        return (ResilienceEngine)seeded.Invoke(arguments);
    }
}
