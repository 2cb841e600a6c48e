using Microsoft.Extensions.Options;
using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The values of each <see cref="SteadfastPreset"/> (documented on its members and in docs/web.md).</summary>
internal static class SteadfastPresets
{
    /// <summary>
    /// Adds the preset's values as the first configuration of each options type, so configuration bound by
    /// <c>AddSteadfast</c> and the application's own <c>Configure</c> calls, registered before or after, go on top of it.
    /// </summary>
    public static void Add(IServiceCollection services, SteadfastPreset preset)
    {
        switch (preset)
        {
            case SteadfastPreset.Production:
                First<ResilienceOptions>(services, static o =>
                {
                    o.MaxAttempts = 3;
                    o.InitialDelay = TimeSpan.FromSeconds(1);
                    o.MaxDelay = TimeSpan.FromSeconds(30);
                    o.StrategyTimeout = TimeSpan.FromSeconds(10);
                    o.MaxTotalTime = TimeSpan.FromSeconds(60);
                    o.EnableProgressTracking = false;
                });
                First<FailureAnalyzerOptions>(services, static o => o.BlacklistDuration = TimeSpan.FromMinutes(30));
                break;
            case SteadfastPreset.Development:
                First<ResilienceOptions>(services, static o =>
                {
                    o.MaxAttempts = 2;
                    o.InitialDelay = TimeSpan.FromMilliseconds(100);
                    o.MaxDelay = TimeSpan.FromSeconds(2);
                    o.StrategyTimeout = TimeSpan.FromSeconds(5);
                    o.MaxTotalTime = TimeSpan.FromSeconds(15);
                    o.EnableProgressTracking = true;
                    o.EscalateAfterFailures = 3;
                    o.UserInterventionThreshold = 5;
                });
                First<FailureAnalyzerOptions>(services, static o =>
                {
                    o.BlacklistDuration = TimeSpan.FromMinutes(1);
                    o.BlacklistProbeInterval = TimeSpan.FromSeconds(2);
                });
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(preset), preset, $"SteadfastPreset must be Production or Development; was {preset}.");
        }
    }

    // Options run their IConfigureOptions in registration order: the first registration is the bottom layer.
    private static void First<TOptions>(IServiceCollection services, Action<TOptions> configure)
        where TOptions : class =>
        services.Insert(0, ServiceDescriptor.Singleton<IConfigureOptions<TOptions>>(new ConfigureNamedOptions<TOptions>(Options.Options.DefaultName, configure)));
}
