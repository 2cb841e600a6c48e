using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Steadfast.AspNetCore.Tests.Configuration;

/// <summary>Environment variables are process-wide: these tests run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Environment variables";
}

/// <summary>The seed's RESILIENCE_* variables and the Steadfast__ form, from real environment variables.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class SeedEnvironmentVariablesTests
{
    private static async Task WithVariables(Dictionary<string, string> variables, Func<Task> test)
    {
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            await test();
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    private static ServiceProvider Build(Dictionary<string, string?>? settings = null)
    {
        // As a host does: the JSON or in-memory settings first, the environment variables over them.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).AddEnvironmentVariables().Build();
        var services = new ServiceCollection();
        services.AddSteadfast(configuration.GetSection("Steadfast"));
        services.AddHttpClient("billing").AddSteadfastResilienceHandler();
        return services.BuildServiceProvider();
    }

    [Fact]
    public Task AddSteadfast_DoubleUnderscoreVariable_SetsTheOption() =>
        WithVariables(new() { ["Steadfast__Engine__MaxAttempts"] = "3", ["Steadfast__Http__billing__Engine__MaxAttempts"] = "4" }, async () =>
        {
            await using var provider = Build(new() { ["Steadfast:Engine:MaxAttempts"] = "9" });

            Assert.Equal(3, provider.GetRequiredService<IOptions<ResilienceOptions>>().Value.MaxAttempts);
            Assert.Equal(4, provider.GetRequiredService<IOptionsMonitor<SteadfastHttpClientOptions>>().Get("billing").Engine.MaxAttempts);
        });

    [Fact]
    public Task AddSteadfast_ResilienceEnabledFalse_HttpClientsPassThrough() =>
        WithVariables(new() { ["RESILIENCE_ENABLED"] = "false" }, async () =>
        {
            await using var provider = Build();

            Assert.False(provider.GetRequiredService<IOptionsMonitor<SteadfastHttpClientOptions>>().Get("billing").Enabled);
        });

    [Fact]
    public async Task AddSteadfast_NoSeedVariables_HttpClientsEnabled()
    {
        await using var provider = Build();

        Assert.True(provider.GetRequiredService<IOptionsMonitor<SteadfastHttpClientOptions>>().Get("billing").Enabled);
        Assert.IsType<InMemoryCheckpointStore>(provider.GetRequiredService<ICheckpointStore>());
    }

    [Fact]
    public Task AddSteadfast_ConfigurationSetsEnabled_WinsOverTheSeedVariable() =>
        WithVariables(new() { ["RESILIENCE_ENABLED"] = "false" }, async () =>
        {
            await using var provider = Build(new() { ["Steadfast:Enabled"] = "true" });

            Assert.True(provider.GetRequiredService<IOptionsMonitor<SteadfastHttpClientOptions>>().Get("billing").Enabled);
        });

    [Fact]
    public Task AddSteadfast_ResilienceCheckpointDir_CheckpointsKeptAsFilesThere() =>
        WithVariables(new() { ["RESILIENCE_CHECKPOINT_DIR"] = Path.Combine(Path.GetTempPath(), "steadfast-checkpoints") }, async () =>
        {
            await using var provider = Build();

            var store = Assert.IsType<FileCheckpointStore>(provider.GetRequiredService<ICheckpointStore>());
            Assert.Equal(Path.Combine(Path.GetTempPath(), "steadfast-checkpoints"), store.Directory);
        });

    [Fact]
    public Task AddSteadfast_InvalidHealthCheckInterval_RejectedNamingTheVariable() =>
        WithVariables(new() { ["RESILIENCE_HEALTH_CHECK_INTERVAL"] = "thirty seconds" }, () =>
        {
            var error = Assert.Throws<InvalidOperationException>(() => Build());
            Assert.Contains("RESILIENCE_HEALTH_CHECK_INTERVAL", error.Message, StringComparison.Ordinal);
            return Task.CompletedTask;
        });

    [Fact]
    public Task AddSteadfast_InvalidEnabled_RejectedNamingTheVariable() =>
        WithVariables(new() { ["RESILIENCE_ENABLED"] = "maybe" }, () =>
        {
            var error = Assert.Throws<InvalidOperationException>(() => Build());
            Assert.Contains("RESILIENCE_ENABLED", error.Message, StringComparison.Ordinal);
            return Task.CompletedTask;
        });
}
