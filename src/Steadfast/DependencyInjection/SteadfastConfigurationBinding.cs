using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Binds the sections of the Steadfast configuration section to the options types. Every call names its options type,
/// so the configuration binding source generator replaces it with generated code (no reflection; trimming- and AOT-safe).
/// </summary>
internal static class SteadfastConfigurationBinding
{
    /// <summary>The section <c>AddSteadfast</c> reads when given a whole configuration rather than a section.</summary>
    public const string Root = "Steadfast";

    /// <summary><see cref="ResilienceOptions"/> of the <see cref="ResilienceEngine"/>.</summary>
    public const string Engine = "Engine";

    /// <summary><see cref="FailureAnalyzerOptions"/> of the <see cref="FailureAnalyzer"/>.</summary>
    public const string Learning = "Learning";

    /// <summary>The <see cref="CircuitBreakerOptions"/> of circuits the <see cref="CircuitBreakerRegistry"/> creates without their own.</summary>
    public const string CircuitBreaker = "CircuitBreaker";

    /// <summary>One child per executor name: its <see cref="ResilientExecutorOptions"/>.</summary>
    public const string Executors = "Executors";

    /// <summary>One child per queue name: its <see cref="DurableQueueOptions"/>.</summary>
    public const string Queues = "Queues";

    /// <summary>The <see cref="WorkflowRunOptions"/> of the <see cref="WorkflowRunner"/>.</summary>
    public const string Workflows = "Workflows";

    /// <summary>The directory of the default checkpoint store's files (the seed's <c>RESILIENCE_CHECKPOINT_DIR</c>); in memory without it.</summary>
    public const string CheckpointDirectory = "Workflows:CheckpointDirectory";

    /// <summary>The switch of the whole resilience layer (the seed's <c>RESILIENCE_ENABLED</c>); the HTTP handlers pass requests straight through when it is false.</summary>
    public const string Enabled = "Enabled";

    /// <summary>One child per HttpClient name: its HTTP resilience options (Steadfast.AspNetCore).</summary>
    public const string Http = "Http";

    /// <summary>The <see cref="SqliteStoreOptions"/> of the stores <c>UseSqlite</c> registers.</summary>
    public const string Sqlite = "Sqlite";

    /// <summary>Binds every section of <paramref name="steadfast"/>; named executors and queues are validated at start.</summary>
    public static void Bind(IServiceCollection services, SteadfastRegistration registration, IConfigurationSection steadfast)
    {
        services.AddOptions<ResilienceOptions>().Bind(Recorded<ResilienceOptions>(registration, steadfast.GetSection(Engine)));
        services.AddOptions<FailureAnalyzerOptions>().Bind(Recorded<FailureAnalyzerOptions>(registration, steadfast.GetSection(Learning)));
        services.AddOptions<CircuitBreakerOptions>().Bind(Recorded<CircuitBreakerOptions>(registration, steadfast.GetSection(CircuitBreaker)));
        BindWorkflows(services.AddOptions<WorkflowRunOptions>(), Recorded<WorkflowRunOptions>(registration, steadfast.GetSection(Workflows)));
        services.AddOptions<SqliteStoreOptions>().Bind(Recorded<SqliteStoreOptions>(registration, steadfast.GetSection(Sqlite)));

        // Executors and queues only named here are bound now; AddResilientExecutor and AddDurableQueue bind their name
        // again, after a preset and before their own adjustments, so configuration sits between the two.
        foreach (var executor in steadfast.GetSection(Executors).GetChildren())
        {
            registration.RecordKey(typeof(ResilientExecutorOptions), executor.Key, executor.Path);
            services.AddOptions<ResilientExecutorOptions>(executor.Key).Bind(executor).ValidateOnStart();
        }

        foreach (var queue in steadfast.GetSection(Queues).GetChildren())
        {
            registration.RecordKey(typeof(DurableQueueOptions), queue.Key, queue.Path);
            BindQueue(services.AddOptions<DurableQueueOptions>(queue.Key), queue).ValidateOnStart();
        }
    }

    /// <summary>Binds the executor <paramref name="options"/> names from every bound Steadfast section.</summary>
    public static void BindExecutor(OptionsBuilder<ResilientExecutorOptions> options, IReadOnlyList<IConfigurationSection> sections)
    {
        foreach (var steadfast in sections)
        {
            var section = steadfast.GetSection(Executors).GetSection(options.Name ?? string.Empty);
            SteadfastRegistration.Find(options.Services)?.RecordKey(typeof(ResilientExecutorOptions), options.Name ?? string.Empty, section.Path);
            options.Bind(section);
        }
    }

    /// <summary>Binds the queue <paramref name="options"/> names from every bound Steadfast section.</summary>
    public static void BindQueue(OptionsBuilder<DurableQueueOptions> options, IReadOnlyList<IConfigurationSection> sections)
    {
        foreach (var steadfast in sections)
        {
            var section = steadfast.GetSection(Queues).GetSection(options.Name ?? string.Empty);
            SteadfastRegistration.Find(options.Services)?.RecordKey(typeof(DurableQueueOptions), options.Name ?? string.Empty, section.Path);
            BindQueue(options, section);
        }
    }

    // The two options types with a SerializerOptions go through a settings type of their configurable part (see there);
    // like OptionsBuilder.Bind, the section is read when the options are created and a reload reaches IOptionsMonitor.
    private static OptionsBuilder<DurableQueueOptions> BindQueue(OptionsBuilder<DurableQueueOptions> options, IConfigurationSection section)
    {
        options.Services.AddSingleton<IOptionsChangeTokenSource<DurableQueueOptions>>(new ConfigurationChangeTokenSource<DurableQueueOptions>(options.Name, section));
        return options.Configure(o => section.Get<DurableQueueSettings>()?.ApplyTo(o));
    }

    /// <summary>Records <paramref name="section"/> as where the unnamed <typeparamref name="TOptions"/> come from, so validation names its keys.</summary>
    private static IConfigurationSection Recorded<TOptions>(SteadfastRegistration registration, IConfigurationSection section)
    {
        registration.RecordKey(typeof(TOptions), string.Empty, section.Path);
        return section;
    }

    private static void BindWorkflows(OptionsBuilder<WorkflowRunOptions> options, IConfigurationSection section)
    {
        options.Services.AddSingleton<IOptionsChangeTokenSource<WorkflowRunOptions>>(new ConfigurationChangeTokenSource<WorkflowRunOptions>(options.Name, section));
        options.Configure(o => section.Get<WorkflowRunSettings>()?.ApplyTo(o));
    }
}
