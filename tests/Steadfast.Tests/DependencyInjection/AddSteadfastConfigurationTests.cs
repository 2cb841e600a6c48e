using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.DependencyInjection;

public class AddSteadfastConfigurationTests
{
    private static IConfigurationRoot Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public async Task AddSteadfast_SectionsOfTheConfiguration_ReachEveryOptionsType()
    {
        var configuration = Configuration(
            ("Steadfast:Engine:MaxAttempts", "7"),
            ("Steadfast:Engine:CircuitBreaker:FailureThreshold", "2"),
            ("Steadfast:Learning:PatternThreshold", "9"),
            ("Steadfast:Learning:BlacklistDuration", "00:20:00"),
            ("Steadfast:CircuitBreaker:FailureThreshold", "4"),
            ("Steadfast:Workflows:ResumeFromCheckpoint", "false"),
            ("Steadfast:Workflows:MaxStepResultBytes", "1024"),
            ("Steadfast:Sqlite:BusyTimeout", "00:00:30"),
            ("Steadfast:Sqlite:Synchronous", "Full"));
        var services = new ServiceCollection();
        services.AddSteadfast(configuration.GetSection("Steadfast"));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var engine = provider.GetRequiredService<IOptions<ResilienceOptions>>().Value;
        Assert.Equal(7, engine.MaxAttempts);
        Assert.Equal(2, engine.CircuitBreaker!.FailureThreshold);
        Assert.Equal(9, provider.GetRequiredService<FailureAnalyzer>().Options.PatternThreshold);
        Assert.Equal(TimeSpan.FromMinutes(20), provider.GetRequiredService<FailureAnalyzer>().Options.BlacklistDuration);
        Assert.Equal(4, provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("x").Options.FailureThreshold);
        var workflows = provider.GetRequiredService<IOptions<WorkflowRunOptions>>().Value;
        Assert.False(workflows.ResumeFromCheckpoint);
        Assert.Equal(1024, workflows.MaxStepResultBytes);
        var sqlite = provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(30), sqlite.BusyTimeout);
        Assert.Equal(SqliteSynchronousMode.Full, sqlite.Synchronous);
        Assert.Equal(SqliteStoreOptions.DefaultPath, sqlite.Path);
    }

    [Fact]
    public async Task AddSteadfast_WholeConfiguration_UsesItsSteadfastSection()
    {
        var services = new ServiceCollection();
        services.AddSteadfast(Configuration(("Steadfast:Engine:MaxAttempts", "7"), ("Engine:MaxAttempts", "8")));
        await using var provider = services.BuildServiceProvider();
        Assert.Equal(7, provider.GetRequiredService<IOptions<ResilienceOptions>>().Value.MaxAttempts);
    }

    [Fact]
    public async Task AddSteadfast_EnvironmentVariable_OverridesTheEngineOption()
    {
        // A prefix of this test's own, so no other test (or the machine) sees or sets it.
        const string Variable = "STEADFASTTEST_DI_ENV_Steadfast__Engine__MaxAttempts";
        Environment.SetEnvironmentVariable(Variable, "3");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection([KeyValuePair.Create("Steadfast:Engine:MaxAttempts", (string?)"6"), KeyValuePair.Create("Steadfast:Engine:InitialDelay", (string?)"00:00:00")])
                .AddEnvironmentVariables("STEADFASTTEST_DI_ENV_")
                .Build();
            var services = new ServiceCollection().AddSingleton<TimeProvider>(new FakeTimeProvider());
            services.AddSteadfast(configuration.GetSection("Steadfast"));
            await using var provider = services.BuildServiceProvider();
            provider.GetRequiredService<IStartupValidator>().Validate();

            Assert.Equal(3, provider.GetRequiredService<IOptions<ResilienceOptions>>().Value.MaxAttempts);
            var calls = 0;
            var result = await provider.GetRequiredService<ResilienceEngine>().ExecuteAsync<int>(
                _ => { calls++; throw new TimeoutException("down"); }, "env-op");
            Assert.False(result.Success);
            Assert.Equal(3, calls);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }

    [Theory]
    [InlineData("Steadfast:Engine:MaxAttempts", "0", "ResilienceOptions.MaxAttempts must be between 1 and 100; was 0.")]
    [InlineData("Steadfast:Learning:PatternThreshold", "0", "FailureAnalyzerOptions.PatternThreshold")]
    [InlineData("Steadfast:CircuitBreaker:FailureThreshold", "0", "CircuitBreakerOptions.FailureThreshold")]
    [InlineData("Steadfast:Workflows:MaxStepResultBytes", "0", "WorkflowRunOptions.MaxStepResultBytes")]
    [InlineData("Steadfast:Sqlite:BusyTimeout", "00:00:00", "SqliteStoreOptions.BusyTimeout")]
    [InlineData("Steadfast:Executors:payments:Retry:MaxAttempts", "0", "ResilientExecutorOptions 'payments': RetryOptions.MaxAttempts must be between 1 and 100; was 0.")]
    [InlineData("Steadfast:Queues:orders:MaxDeliveryAttempts", "0", "DurableQueueOptions 'orders': DurableQueueOptions.MaxDeliveryAttempts")]
    public async Task AddSteadfast_InvalidBoundValue_FailsAtStartNamingTheProperty(string key, string value, string message)
    {
        var services = new ServiceCollection();
        services.AddSteadfast(Configuration((key, value)).GetSection("Steadfast"));
        await using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Steadfast:Engine:MaxAttempts", "100")]
    [InlineData("Steadfast:Learning:PatternThreshold", "1")]
    [InlineData("Steadfast:CircuitBreaker:FailureThreshold", "1")]
    [InlineData("Steadfast:Workflows:MaxStepResultBytes", "1")]
    [InlineData("Steadfast:Sqlite:BusyTimeout", "00:00:01")]
    [InlineData("Steadfast:Executors:payments:Retry:MaxAttempts", "100")]
    [InlineData("Steadfast:Queues:orders:MaxDeliveryAttempts", "1")]
    public async Task AddSteadfast_BoundValueAtTheEdgeOfItsRange_PassesTheStartCheck(string key, string value)
    {
        var services = new ServiceCollection();
        services.AddSteadfast(Configuration((key, value)).GetSection("Steadfast"));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task AddSteadfast_ValueTheBinderCannotConvert_FailsAtStartNamingTheKey()
    {
        var services = new ServiceCollection();
        services.AddSteadfast(Configuration(("Steadfast:Engine:MaxAttempts", "many")).GetSection("Steadfast"));
        await using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Steadfast:Engine:MaxAttempts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSteadfast_InvalidBoundValue_StopsTheHostFromStarting()
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([KeyValuePair.Create("Steadfast:Engine:BackoffFactor", (string?)"0.5")]);
        builder.Services.AddSteadfast(builder.Configuration);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("ResilienceOptions.BackoffFactor", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSteadfast_SameSectionTwice_AddsNothing()
    {
        var configuration = Configuration(("Steadfast:Engine:MaxAttempts", "7"), ("Steadfast:Executors:a:Retry:MaxAttempts", "2"));
        var services = new ServiceCollection();
        services.AddSteadfast(configuration.GetSection("Steadfast"));
        var count = services.Count;
        services.AddSteadfast(configuration.GetSection("Steadfast"));
        services.AddSteadfast(configuration);
        services.AddSteadfast();
        Assert.Equal(count, services.Count);
    }

    [Fact]
    public async Task AddSteadfast_ConfigurationAfterAPlainCall_IsStillBound()
    {
        var services = new ServiceCollection();
        services.AddSteadfast();
        var count = services.Count;
        services.AddSteadfast(Configuration(("Steadfast:Engine:MaxAttempts", "7")));
        Assert.True(services.Count > count);
        await using var provider = services.BuildServiceProvider();
        Assert.Equal(7, provider.GetRequiredService<IOptions<ResilienceOptions>>().Value.MaxAttempts);
    }

    [Fact]
    public async Task AddSteadfast_CodeConfiguredAfterTheConfiguration_Wins()
    {
        var services = new ServiceCollection();
        services.AddSteadfast(Configuration(("Steadfast:Engine:MaxAttempts", "7"), ("Steadfast:Engine:MaxTotalAttempts", "30")));
        services.Configure<ResilienceOptions>(o => o.MaxAttempts = 2);
        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ResilienceOptions>>().Value;
        Assert.Equal(2, options.MaxAttempts);
        Assert.Equal(30, options.MaxTotalAttempts);
    }

    [Fact]
    public async Task AddSteadfast_ExecutorOnlyInTheConfiguration_IsResolvableWithItsOptions()
    {
        var services = new ServiceCollection();
        services.AddSteadfast(Configuration(("Steadfast:Executors:search:Retry:MaxAttempts", "6"), ("Steadfast:Executors:search:Timeout:Timeout", "00:00:02")));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var options = provider.GetRequiredService<IOptionsMonitor<ResilientExecutorOptions>>().Get("search");
        Assert.Equal(6, options.Retry!.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Timeout!.Timeout);
        Assert.Equal("search", provider.GetRequiredService<ResilientExecutorProvider>().Get("search").Name);
    }

    [Fact]
    public async Task AddResilientExecutor_Preset_ThenConfiguration_ThenCode()
    {
        var services = new ServiceCollection();
        services.AddSteadfast(Configuration(("Steadfast:Executors:payments:Retry:MaxAttempts", "6"), ("Steadfast:Executors:payments:Retry:Jitter", "false")))
            .AddResilientExecutor("payments", ResilientExecutorOptions.ForApi, o => o.Retry!.Jitter = true);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<ResilientExecutorOptions>>().Get("payments");
        Assert.Equal(5, options.CircuitBreaker!.FailureThreshold);             // the preset, untouched by the configuration
        Assert.Equal(ResilientExecutorOptions.ForApi().Retry!.InitialDelay, options.Retry!.InitialDelay);
        Assert.Equal(6, options.Retry.MaxAttempts);                             // the configuration, over the preset
        Assert.True(options.Retry.Jitter);                                       // the code, over the configuration
    }

    [Fact]
    public async Task AddDurableQueue_OptionsFromItsSection_ThenCode()
    {
        var services = new ServiceCollection();
        services.AddSteadfast(Configuration(("Steadfast:Queues:orders:MaxDeliveryAttempts", "2"), ("Steadfast:Queues:orders:LeaseDuration", "00:01:00")))
            .AddDurableQueue<string>("orders", o => o.MaxSize = 10);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var options = provider.GetRequiredService<IOptionsMonitor<DurableQueueOptions>>().Get("orders");
        Assert.Equal(2, options.MaxDeliveryAttempts);
        Assert.Equal(TimeSpan.FromMinutes(1), options.LeaseDuration);
        Assert.Equal(10, options.MaxSize);
    }

    [Theory]
    [InlineData(typeof(DurableQueueOptions), "Microsoft.Extensions.DependencyInjection.DurableQueueSettings")]
    [InlineData(typeof(WorkflowRunOptions), "Microsoft.Extensions.DependencyInjection.WorkflowRunSettings")]
    public void Settings_CoverEveryConfigurableOption(Type options, string settingsType)
    {
        // These options are bound through a settings type (their SerializerOptions cannot be bound); an option added to them
        // must be added there too, or configuration would silently not reach it.
        var settings = typeof(SteadfastBuilder).Assembly.GetType(settingsType, throwOnError: true)!;
        var configurable = options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.Name != "SerializerOptions")
            .Select(p => p.Name);
        var bound = settings.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);
        Assert.Empty(configurable.Except(bound));
    }
}
