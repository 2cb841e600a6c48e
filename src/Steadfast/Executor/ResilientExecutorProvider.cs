using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Steadfast;

/// <summary>
/// Hands out the named executors configured with <c>AddResilientExecutor</c> (one instance per name, created on first use,
/// sharing the registered <see cref="TimeProvider"/> and <see cref="CircuitBreakerRegistry"/>). Registered by <c>AddSteadfast()</c>.
/// </summary>
public sealed class ResilientExecutorProvider : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ResilientExecutor>> _executors = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<ResilientExecutorOptions> _options;
    private readonly TimeProvider _time;
    private readonly CircuitBreakerRegistry _registry;
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>Creates the provider; normally the DI container does.</summary>
    /// <param name="options">The named executor options.</param>
    /// <param name="timeProvider">The clock executors use.</param>
    /// <param name="registry">Where executors' circuits live.</param>
    /// <param name="loggerFactory">Where executors log; <see langword="null"/> for nowhere.</param>
    public ResilientExecutorProvider(
        IOptionsMonitor<ResilientExecutorOptions> options, TimeProvider timeProvider, CircuitBreakerRegistry registry, ILoggerFactory? loggerFactory = null)
    {
        _options = options;
        _time = timeProvider;
        _registry = registry;
        _loggerFactory = loggerFactory;
    }

    /// <summary>Returns the executor named <paramref name="name"/>, creating it from its configured options on first use.</summary>
    /// <param name="name">The name given to <c>AddResilientExecutor</c>; unknown names get the default options.</param>
    /// <returns>The executor.</returns>
    public ResilientExecutor Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _executors.GetOrAdd(name, n => new Lazy<ResilientExecutor>(() => new ResilientExecutor(
            n, _options.Get(n), _registry, _time, _loggerFactory))).Value;
    }

    /// <summary>Disposes the executors created so far. Idempotent.</summary>
    public void Dispose()
    {
        foreach (var executor in _executors.Values)
        {
            if (executor.IsValueCreated)
            {
                executor.Value.Dispose();
            }
        }
    }
}
