using Microsoft.Extensions.DependencyInjection;
using static Steadfast.AI.Tests.Creative.CreativeTestKit;

namespace Steadfast.AI.Tests.Creative;

public sealed class CreativeSolverBuilderExtensionsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UseCreativeSolver_GivesTheEngineTheSolver_AndEnableCustomCodeDecidesGeneratedCode(bool enableCustomCode)
    {
        var model = new ScriptedChatClient();
        var services = new ServiceCollection();
        services.Configure<ResilienceOptions>(o =>
        {
            o.EnableCustomCode = enableCustomCode;
            o.MaxAttempts = 1;
            o.EnableProgressTracking = false;
        });
        services.AddSteadfast().UseCreativeSolver(model, [CacheTool()]);
        await using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<ResilienceEngine>();
        await engine.ExecuteWithAlternativesAsync(FailingStrategies(), Operation);

        Assert.IsType<LlmCreativeSolver>(engine.CreativeSolver);
        Assert.Same(provider.GetRequiredService<ICreativeSolver>(), engine.CreativeSolver);
        Assert.Equal(enableCustomCode, model.Options[0]!.Tools!.Any(t => t.Name == "run_csharp_program"));
    }

    [Fact]
    public async Task UseCreativeSolver_WithSqliteLearning_KeepsProposalsInTheLearningsFile()
    {
        using var temp = new TempDatabase();
        var services = new ServiceCollection();
        services.AddSteadfast().UseSqlite(temp.File("steadfast.db")).UseCreativeSolver(new ScriptedChatClient(), [CacheTool()]);
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<SqliteCreativeProposalStore>(provider.GetRequiredService<ICreativeProposalStore>());
        var learning = Assert.IsType<SqliteFailureStore>(provider.GetRequiredService<IFailureStore>());

        Assert.Equal(learning.DatabasePath, store.Path);
        Assert.Same(provider.GetRequiredService<LlmCreativeSolver>(), provider.GetRequiredService<ICreativeHistory>());
    }

    [Fact]
    public async Task UseCreativeSolver_WithInMemoryLearning_KeepsProposalsInMemory()
    {
        var services = new ServiceCollection();
        services.AddSteadfast().UseCreativeSolver(new ScriptedChatClient(), [CacheTool()]);
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<InMemoryCreativeProposalStore>(provider.GetRequiredService<ICreativeProposalStore>());
    }

    [Fact]
    public void ResilienceOptions_EnableCustomCode_IsOffByDefault()
    {
        Assert.False(new ResilienceOptions().EnableCustomCode);
        Assert.False(new LlmCreativeSolverOptions().AllowGeneratedCode);
    }

    [Fact]
    public void Validate_OutOfRangeOption_NamesThePropertyTheRangeAndTheValue()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LlmCreativeSolverOptions { GeneratedCode = { AddressSpaceBytes = 1 << 20 } }.Validate());

        Assert.Contains("GeneratedCodeOptions.AddressSpaceBytes", e.Message, StringComparison.Ordinal);
        Assert.Contains("1048576", e.Message, StringComparison.Ordinal);
    }
}
