using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

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
