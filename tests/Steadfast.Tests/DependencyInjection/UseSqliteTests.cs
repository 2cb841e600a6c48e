using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.DependencyInjection;

public sealed class UseSqliteTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    private ServiceProvider Build(string file, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(_time);
        services.AddSteadfast().UseSqlite(file);
        services.Configure<ResilienceOptions>(o => o.InitialDelay = TimeSpan.Zero);
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task UseSqlite_EngineAndAnalyzer_PersistToTheFile_ANewProviderSeesIt()
    {
        var file = _temp.File("app.db");
        await using (var provider = Build(file))
        {
            var calls = 0;
            var result = await provider.GetRequiredService<ResilienceEngine>().ExecuteAsync(
                _ => ++calls < 3 ? throw new TimeoutException("slow") : Task.FromResult("ok"), "fetch");
            Assert.True(result.Success);
            provider.GetRequiredService<FailureAnalyzer>().RecordFailure(new HttpRequestException("refused"), "other");
        }   // no flush: disposing the provider must write what the analyzer still holds

        Assert.True(File.Exists(file));
        await using (var provider = Build(file))
        {
            var engine = provider.GetRequiredService<ResilienceEngine>();
            await engine.EnsureStartedAsync();
            Assert.Equal(2, engine.Analyzer!.GetRecentFailures("fetch").Count);
            Assert.Single(engine.Analyzer.GetRecentFailures("other"));
            Assert.IsType<SqliteFailureStore>(engine.Analyzer.Store);
        }
    }

    [Fact]
    public async Task UseSqlite_Circuits_AreRestoredWhenTheHostStarts()
    {
        var file = _temp.File("app.db");
        using (var host = BuildHost(file))
        {
            await host.StartAsync();
            var breaker = host.Services.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("payments");
            await Assert.ThrowsAsync<TimeoutException>(() => breaker.ExecuteAsync<int>(_ => throw new TimeoutException("down")).AsTask());
            Assert.Equal(CircuitState.Open, breaker.State);
            await host.StopAsync();
        }

        using (var host = BuildHost(file))
        {
            await host.StartAsync();
            Assert.Equal(CircuitState.Open, host.Services.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("payments").State);
            await host.StopAsync();
        }

        IHost BuildHost(string path)
        {
            var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddSingleton<TimeProvider>(_time);
            builder.Services.AddSteadfast(cb => cb.FailureThreshold = 1).UseSqlite(path);
            return builder.Build();
        }
    }

    [Fact]
    public async Task UseSqlite_WorkflowsAndQueues_AreKeptInTheFile()
    {
        var file = _temp.File("app.db");
        var firstStepRuns = 0;
        async Task<WorkflowResult<int>> Run(IServiceProvider provider, bool secondStepFails) =>
            await provider.GetRequiredService<WorkflowRunner>().RunAsync("order-1", 21, async (wf, input, ct) =>
            {
                var doubled = await wf.StepAsync("double", _ => Task.FromResult(++firstStepRuns * 0 + input * 2));
                return await wf.StepAsync("check", _ => secondStepFails ? throw new TimeoutException("down") : Task.FromResult(doubled));
            });

        await using (var provider = Build(file, s => s.AddSteadfast().AddDurableQueue<string>("mail")))
        {
            Assert.False((await Run(provider, secondStepFails: true)).Success);
            await provider.GetRequiredKeyedService<DurableQueue<string>>("mail").EnqueueAsync("hello");
        }

        await using (var provider = Build(file, s => s.AddSteadfast().AddDurableQueue<string>("mail")))
        {
            var run = await Run(provider, secondStepFails: false);
            Assert.True(run.Success);
            Assert.Equal(42, run.Value);
            Assert.Equal(1, firstStepRuns);   // the stored step was not run again
            Assert.Equal(1, (await provider.GetRequiredKeyedService<DurableQueue<string>>("mail").GetStatsAsync()).Pending);
            Assert.IsType<SqliteQueueStore>(provider.GetRequiredKeyedService<IQueueStore>("mail"));
        }
    }

    [Fact]
    public async Task UseSqlite_ReplacesTheDefaults_AndAddSteadfastAgainAddsNoneBack()
    {
        var services = new ServiceCollection();
        services.AddSteadfast().UseSqlite(_temp.File("app.db"));
        services.AddSteadfast();
        Assert.Single(services, d => d.ServiceType == typeof(IFailureStore));
        Assert.Single(services, d => d.ServiceType == typeof(IQueueStore));
        await using var provider = services.BuildServiceProvider();

        var failures = provider.GetRequiredService<IFailureStore>();
        Assert.IsType<SqliteFailureStore>(failures);
        Assert.Same(failures, provider.GetRequiredService<IStrategyStatisticsStore>());
        Assert.IsType<SqliteCircuitStateStore>(provider.GetRequiredService<ICircuitStateStore>());
        Assert.IsType<SqliteCheckpointStore>(provider.GetRequiredService<ICheckpointStore>());
        Assert.Contains(_temp.File("app.db"), failures.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseSqlite_CalledTwice_KeepsOneSetOfStoresOnTheLastFile()
    {
        var services = new ServiceCollection();
        services.AddSteadfast().UseSqlite(_temp.File("first.db")).UseSqlite(_temp.File("second.db"));
        Assert.Single(services, d => d.ServiceType == typeof(ICheckpointStore));
        await using var provider = services.BuildServiceProvider();
        Assert.Contains("second.db", provider.GetRequiredService<IFailureStore>().ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UseSqlite_StoreRegisteredByTheApplication_WinsBeforeOrAfter(bool registeredFirst)
    {
        var mine = new InMemoryFailureStore();
        var services = new ServiceCollection();
        if (registeredFirst)
        {
            services.AddSingleton<IFailureStore>(mine);
        }

        services.AddSteadfast().UseSqlite(_temp.File("app.db"));
        if (!registeredFirst)
        {
            services.AddSingleton<IFailureStore>(mine);
        }

        await using var provider = services.BuildServiceProvider();
        Assert.Same(mine, provider.GetRequiredService<FailureAnalyzer>().Store);
        Assert.IsType<SqliteCircuitStateStore>(provider.GetRequiredService<CircuitBreakerRegistry>().Store);   // the others are still SQLite
    }

    [Fact]
    public async Task UseSqlite_WithoutAPath_TakesTheSqliteSectionOfTheConfiguration()
    {
        var file = _temp.File("configured.db");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Steadfast:Sqlite:Path", (string?)file)]).Build();
        var services = new ServiceCollection();
        services.AddSteadfast(configuration).UseSqlite();
        await using var provider = services.BuildServiceProvider();
        Assert.Contains(file, provider.GetRequiredService<IFailureStore>().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseSqlite_InvalidOptions_FailAtStart()
    {
        var services = new ServiceCollection();
        services.AddSteadfast().UseSqlite(o => o.BusyTimeout = TimeSpan.FromHours(1));
        await using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("SqliteStoreOptions.BusyTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSteadfast_EnginePersistenceConfigured_KeepsLearningAndCircuitsInItsFile()
    {
        var file = _temp.File("engine.db");
        var services = new ServiceCollection();
        services.AddSteadfast().Services.Configure<ResilienceOptions>(o => (o.EnablePersistence, o.PersistencePath) = (true, file));
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<SqliteFailureStore>(provider.GetRequiredService<FailureAnalyzer>().Store);
        Assert.IsType<SqliteCircuitStateStore>(provider.GetRequiredService<CircuitBreakerRegistry>().Store);
        Assert.Contains(file, provider.GetRequiredService<IFailureStore>().ToString(), StringComparison.Ordinal);
        Assert.IsType<InMemoryCheckpointStore>(provider.GetRequiredService<ICheckpointStore>());
    }
}
