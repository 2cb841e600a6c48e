using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Steadfast.Tests.DependencyInjection.Fakes;

namespace Steadfast.Tests.DependencyInjection;

public class AddSteadfastTests
{
    [Fact]
    public async Task AddSteadfast_RegistersCoreServicesOnce()
    {
        var services = new ServiceCollection();
        var builder = services.AddSteadfast();
        var count = services.Count;
        services.AddSteadfast();
        Assert.Equal(count, services.Count);
        Assert.Same(services, builder.Services);

        await using var provider = services.BuildServiceProvider();
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.Same(provider.GetRequiredService<CircuitBreakerRegistry>(), provider.GetRequiredService<CircuitBreakerRegistry>());
        Assert.NotNull(provider.GetRequiredService<ResilientExecutorProvider>());
        Assert.NotNull(provider.GetRequiredService<WorkflowRunner>());
        Assert.Single(services, d => d.ServiceType == typeof(ResilienceEngine));
        Assert.Single(services, d => d.ServiceType == typeof(IFailureStore));
        Assert.Single(services, d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService));
    }

    [Fact]
    public async Task AddSteadfast_Engine_UsesTheContainersAnalyzerRegistryAndClock()
    {
        var clock = new FakeTimeProvider();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock);
        services.AddSteadfast();
        await using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<ResilienceEngine>();
        var analyzer = provider.GetRequiredService<FailureAnalyzer>();
        Assert.Same(engine, provider.GetRequiredService<ResilienceEngine>());
        Assert.Same(analyzer, engine.Analyzer);
        Assert.Same(provider.GetRequiredService<CircuitBreakerRegistry>(), engine.CircuitBreakers);
        Assert.Same(provider.GetRequiredService<IFailureStore>(), analyzer.Store);
        Assert.IsType<InMemoryFailureStore>(analyzer.Store);
        Assert.Same(analyzer.Store, provider.GetRequiredService<IStrategyStatisticsStore>());
        Assert.IsType<InMemoryCircuitStateStore>(engine.CircuitBreakers.Store);

        var failure = analyzer.RecordFailure(new TimeoutException("slow"), "op");
        Assert.Equal(clock.GetUtcNow(), failure.Timestamp);
    }

    [Fact]
    public async Task AddSteadfast_LearningOff_EngineHasNoAnalyzerAndNoneIsCreated()
    {
        var services = new ServiceCollection();
        services.AddSteadfast().Services.Configure<ResilienceOptions>(o => o.EnableLearning = false);
        services.AddSingleton<IFailureStore>(_ => throw new InvalidOperationException("no store may be created"));
        await using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetRequiredService<ResilienceEngine>().Analyzer);
    }

    [Fact]
    public async Task AddSteadfast_RegisteredSolverAndInterventionHandler_AreGivenToTheEngine()
    {
        var solver = new NoIdeaSolver();
        var handler = new GiveUpHandler();
        var services = new ServiceCollection();
        services.AddSteadfast();
        services.AddSingleton<ICreativeSolver>(solver).AddSingleton<IInterventionHandler>(handler);
        await using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<ResilienceEngine>();
        Assert.Same(solver, engine.CreativeSolver);
        Assert.Same(handler, engine.InterventionHandler);
    }

    [Fact]
    public async Task AddSteadfast_NoSolverRegistered_EngineHasNone()
    {
        var services = new ServiceCollection();
        services.AddSteadfast();
        await using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetRequiredService<ResilienceEngine>().CreativeSolver);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AddSteadfast_StoresRegisteredByTheApplication_WinBeforeOrAfter(bool registeredFirst)
    {
        var failures = new InMemoryFailureStore();
        var circuits = new InMemoryCircuitStateStore();
        var checkpoints = new InMemoryCheckpointStore();
        var services = new ServiceCollection();
        if (registeredFirst)
        {
            Register(services);
        }

        services.AddSteadfast();
        if (!registeredFirst)
        {
            Register(services);
        }

        await using var provider = services.BuildServiceProvider();
        Assert.Same(failures, provider.GetRequiredService<FailureAnalyzer>().Store);
        Assert.Same(circuits, provider.GetRequiredService<CircuitBreakerRegistry>().Store);

        var run = await provider.GetRequiredService<WorkflowRunner>()
            .RunAsync("w1", 1, (wf, input, ct) => wf.StepAsync("double", _ => Task.FromResult(input * 2)));
        Assert.True(run.Success);
        Assert.Single(await checkpoints.ListWorkflowsAsync());

        void Register(IServiceCollection s) => s
            .AddSingleton<IFailureStore>(failures).AddSingleton<ICircuitStateStore>(circuits).AddSingleton<ICheckpointStore>(checkpoints);
    }

    [Fact]
    public async Task DisposeAsync_ContainerMadeAnalyzer_FlushesIntoItsStoreBeforeTheStoreIsDisposed()
    {
        RecordingFailureStore? store = null;
        var services = new ServiceCollection();
        services.AddSteadfast();
        services.AddSingleton<IFailureStore>(_ => store = new RecordingFailureStore());
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<FailureAnalyzer>().RecordFailure(new TimeoutException("slow"), "op");
        _ = provider.GetRequiredService<IStrategyStatisticsStore>();   // resolved after the analyzer: must not be disposed first

        await provider.DisposeAsync();

        Assert.NotNull(store);
        Assert.True(store.Disposed);
        Assert.Equal(1, store.FailuresSavedBeforeDispose);
    }

    [Fact]
    public async Task AddSteadfast_KeepsARegisteredTimeProvider()
    {
        var clock = new FakeTimeProvider();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock);
        services.AddSteadfast();
        await using var provider = services.BuildServiceProvider();
        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task AddSteadfast_ConfiguredBreakerDefaults_ReachTheRegistry()
    {
        var services = new ServiceCollection();
        services.AddSteadfast(o => o.FailureThreshold = 9);
        await using var provider = services.BuildServiceProvider();
        Assert.Equal(9, provider.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("x").Options.FailureThreshold);
    }

    [Fact]
    public async Task AddSteadfast_InvalidBreakerDefaults_FailAtStartWithTheMessage()
    {
        var services = new ServiceCollection();
        services.AddSteadfast(o => o.FailureThreshold = 0);
        await using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("CircuitBreakerOptions.FailureThreshold", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddResilientExecutor_PresetAndAdjustment_AreApplied_AndTheExecutorIsShared()
    {
        var services = new ServiceCollection();
        services.AddSteadfast()
            .AddResilientExecutor("payments", ResilientExecutorOptions.ForApi, o => o.Retry!.MaxAttempts = 4);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var executors = provider.GetRequiredService<ResilientExecutorProvider>();
        var payments = executors.Get("payments");
        Assert.Same(payments, executors.Get("payments"));
        Assert.Equal("payments", payments.Name);
        Assert.Equal(5, payments.CircuitBreaker!.Options.FailureThreshold);
        Assert.Equal(4, provider.GetRequiredService<IOptionsMonitor<ResilientExecutorOptions>>().Get("payments").Retry!.MaxAttempts);
        Assert.True(provider.GetRequiredService<CircuitBreakerRegistry>().TryGet("payments", out _));
    }

    [Fact]
    public async Task AddResilientExecutor_InvalidOptions_FailAtStartNamingExecutorAndOption()
    {
        var services = new ServiceCollection();
        services.AddSteadfast().AddResilientExecutor("bad", configure: o => o.Retry = new RetryOptions { MaxAttempts = 0 });
        await using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("ResilientExecutorOptions 'bad': RetryOptions.MaxAttempts must be between 1 and 100; was 0.", ex.Message, StringComparison.Ordinal);
    }
}
