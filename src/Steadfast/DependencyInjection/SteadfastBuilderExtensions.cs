using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds named <see cref="ResilientExecutor"/>s to a <see cref="SteadfastBuilder"/>.</summary>
public static class SteadfastBuilderExtensions
{
    /// <summary>
    /// Configures the executor named <paramref name="name"/>, starting from <paramref name="preset"/> (or the plain
    /// <see cref="ResilientExecutorOptions"/> defaults); the options are validated at start. Resolve it with
    /// <see cref="ResilientExecutorProvider.Get(string)"/>.
    /// </summary>
    /// <param name="builder">The Steadfast builder.</param>
    /// <param name="name">The executor's (and its circuit's) name.</param>
    /// <param name="preset">The starting options, e.g. <see cref="ResilientExecutorOptions.ForApi"/>; <see langword="null"/> for the defaults.</param>
    /// <param name="configure">Adjusts the options; <see langword="null"/> keeps the preset.</param>
    /// <returns>The builder, for chaining.</returns>
    public static SteadfastBuilder AddResilientExecutor(
        this SteadfastBuilder builder, string name, Func<ResilientExecutorOptions>? preset = null, Action<ResilientExecutorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = builder.Services.AddOptions<ResilientExecutorOptions>(name);
        if (preset is not null)
        {
            options.Configure(o => CopyFrom(o, preset()));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        return builder;
    }

    private static void CopyFrom(ResilientExecutorOptions target, ResilientExecutorOptions source)
    {
        target.Retry = source.Retry;
        target.CircuitBreaker = source.CircuitBreaker;
        target.RateLimit = source.RateLimit;
        target.Timeout = source.Timeout;
        target.Fallback = source.Fallback;
    }
}
