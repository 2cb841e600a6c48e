using Microsoft.Extensions.DependencyInjection;

namespace Steadfast.Tests.DependencyInjection;

// The container's engine follows the container's operation mode (issue 12: modes reach the engine).
public sealed class AddSteadfastOperatingTests
{
    [Theory]
    [InlineData(false, "primary")]
    [InlineData(true, "local")]
    public async Task Engine_ContainersModeManager_EmergencyRunsOnlyEssentialStrategies(bool emergency, string expected)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSteadfast();
        await using var provider = services.BuildServiceProvider();
        var modes = provider.GetRequiredService<OperationModeManager>();
        if (emergency)
        {
            await modes.SetModeAsync(OperationMode.Emergency, "test");
        }

        var engine = provider.GetRequiredService<ResilienceEngine>();
        var result = await engine.ExecuteWithAlternativesAsync(
            [new Strategy<string>("primary", _ => Task.FromResult("primary")), new Strategy<string>("local", _ => Task.FromResult("local"), 0.1) { EssentialInEmergency = true }],
            "op");

        Assert.Equal(expected, result.StrategyUsed);
    }
}
