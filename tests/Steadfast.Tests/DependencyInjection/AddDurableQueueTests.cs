using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Steadfast.Tests.DependencyInjection;

public class AddDurableQueueTests
{
    [Fact]
    public async Task AddDurableQueue_EachName_IsItsOwnQueueWithItsOwnStore()
    {
        var services = new ServiceCollection();
        services.AddSteadfast().AddDurableQueue<string>("a").AddDurableQueue<string>("b");
        await using var provider = services.BuildServiceProvider();

        var a = provider.GetRequiredKeyedService<DurableQueue<string>>("a");
        var b = provider.GetRequiredKeyedService<DurableQueue<string>>("b");
        Assert.Same(a, provider.GetRequiredKeyedService<DurableQueue<string>>("a"));
        Assert.NotSame(a, b);
        Assert.NotSame(provider.GetRequiredKeyedService<IQueueStore>("a"), provider.GetRequiredKeyedService<IQueueStore>("b"));

        await a.EnqueueAsync("x");
        Assert.Equal(1, (await a.GetStatsAsync()).Pending);
        Assert.Equal(0, (await b.GetStatsAsync()).Pending);
    }

    [Fact]
    public async Task AddDurableQueue_StoreRegisteredForItsName_Wins()
    {
        var mine = new InMemoryQueueStore();
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IQueueStore>("orders", mine);
        services.AddSteadfast().AddDurableQueue<int>("orders").AddDurableQueue<int>("other");
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<DurableQueue<int>>("orders").EnqueueAsync(7);
        Assert.Equal(1, (await mine.GetStatsAsync()).Pending);
        Assert.NotSame(mine, provider.GetRequiredKeyedService<IQueueStore>("other"));
    }

    [Fact]
    public void AddDurableQueue_SameNameTwice_RegistersTheQueueOnce()
    {
        var services = new ServiceCollection();
        var builder = services.AddSteadfast().AddDurableQueue<string>("a");
        var count = services.Count;
        builder.AddDurableQueue<string>("a");
        Assert.Equal(count, services.Count);
    }

    [Fact]
    public void AddDurableQueue_SameNameOtherItemType_Throws()
    {
        var builder = new ServiceCollection().AddSteadfast().AddDurableQueue<string>("a");
        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddDurableQueue<int>("a"));
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddDurableQueue_InvalidOptions_FailAtStartNamingTheQueue()
    {
        var services = new ServiceCollection();
        services.AddSteadfast().AddDurableQueue<string>("slow", o => o.LeaseDuration = TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("DurableQueueOptions 'slow': DurableQueueOptions.LeaseDuration", ex.Message, StringComparison.Ordinal);
    }
}
