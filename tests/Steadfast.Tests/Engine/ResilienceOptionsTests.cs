namespace Steadfast.Tests.Engine;

public class ResilienceOptionsTests
{
    public static TheoryData<string, Action<ResilienceOptions>> InvalidOptions => new()
    {
        { nameof(ResilienceOptions.MaxAttempts), o => o.MaxAttempts = 0 },
        { nameof(ResilienceOptions.MaxAttempts), o => o.MaxAttempts = 101 },
        { nameof(ResilienceOptions.InitialDelay), o => o.InitialDelay = TimeSpan.FromSeconds(-1) },
        { nameof(ResilienceOptions.MaxDelay), o => o.MaxDelay = TimeSpan.FromMilliseconds(500) },
        { nameof(ResilienceOptions.BackoffFactor), o => o.BackoffFactor = 0.5 },
        { nameof(ResilienceOptions.BackoffFactor), o => o.BackoffFactor = double.NaN },
        { nameof(ResilienceOptions.MaxTotalTime), o => o.MaxTotalTime = TimeSpan.Zero },
        { nameof(ResilienceOptions.MaxApiCost), o => o.MaxApiCost = -0.01m },
        { nameof(ResilienceOptions.MaxTotalAttempts), o => o.MaxTotalAttempts = 0 },
        { nameof(ResilienceOptions.MaxParallelStrategies), o => o.MaxParallelStrategies = 0 },
        { nameof(ResilienceOptions.MaxParallelStrategies), o => o.MaxParallelStrategies = 65 },
        { nameof(ResilienceOptions.StrategyTimeout), o => o.StrategyTimeout = TimeSpan.FromMilliseconds(1) },
        { nameof(ResilienceOptions.PatternThreshold), o => o.PatternThreshold = 0 },
        { nameof(ResilienceOptions.CheckpointInterval), o => o.CheckpointInterval = TimeSpan.Zero },
        { nameof(ResilienceOptions.EscalateAfterFailures), o => o.EscalateAfterFailures = 0 },
        { nameof(ResilienceOptions.UserInterventionThreshold), o => o.UserInterventionThreshold = 5 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOption_ThrowsNamingPropertyValueAndRange(string property, Action<ResilienceOptions> breakIt)
    {
        var options = new ResilienceOptions();
        breakIt(options);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ResilienceEngine(options));

        Assert.Equal($"ResilienceOptions.{property}", ex.ParamName);
        Assert.Contains($"ResilienceOptions.{property} must be between", ex.Message, StringComparison.Ordinal);
        Assert.Contains("; was ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DefaultOptions_AreTheSeedValuesAndValid()
    {
        var o = new ResilienceOptions();

        Assert.Equal(5, o.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), o.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), o.MaxDelay);
        Assert.Equal(2.0, o.BackoffFactor);
        Assert.Equal(TimeSpan.FromMinutes(5), o.MaxTotalTime);
        Assert.Equal(1.0m, o.MaxApiCost);
        Assert.Equal(20, o.MaxTotalAttempts);
        Assert.Equal(3, o.MaxParallelStrategies);
        Assert.Equal(TimeSpan.FromSeconds(30), o.StrategyTimeout);
        Assert.True(o.EnableAlternatives && o.EnableCreativeSolving && o.EnableLearning && o.EnableProgressTracking);
        Assert.False(o.EnablePersistence);
        Assert.Equal(3, o.PatternThreshold);
        Assert.Equal(TimeSpan.FromSeconds(60), o.CheckpointInterval);
        Assert.Equal(10, o.EscalateAfterFailures);
        Assert.Equal(15, o.UserInterventionThreshold);
        o.Validate();
    }

    [Fact]
    public void Clone_CopyChanged_OriginalAndItsCircuitOptionsUnchanged()
    {
        var original = new ResilienceOptions { MaxAttempts = 2, CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 3 } };

        var copy = original.Clone();
        copy.MaxAttempts = 7;
        copy.CircuitBreaker!.FailureThreshold = 9;

        Assert.Equal(2, original.MaxAttempts);
        Assert.Equal(3, original.CircuitBreaker.FailureThreshold);
        Assert.NotSame(original.CircuitBreaker, copy.CircuitBreaker);
    }

    [Fact]
    public void Constructor_OptionsChangedAfterwards_EngineKeepsItsCopy()
    {
        var time = EngineTestKit.NewTime();
        var options = EngineTestKit.Fast(o => o.MaxAttempts = 1);
        var engine = EngineTestKit.NewEngine(time, options);
        options.MaxAttempts = 5;
        var calls = 0;

        var r = engine.Execute<string>(_ =>
        {
            calls++;
            throw EngineTestKit.Transient();
        }, "op");

        Assert.Equal(1, calls);
        Assert.False(r.Success);
    }

    [Fact]
    public void Strategy_NegativePriorityOrCost_Rejected()
    {
        var engine = EngineTestKit.NewEngine(EngineTestKit.NewTime());

        Assert.Throws<ArgumentOutOfRangeException>(() => engine.ExecuteWithAlternatives([EngineTestKit.Ok("a", priority: -1)], "op"));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.ExecuteWithAlternatives([EngineTestKit.Ok("a") with { Cost = -1m }], "op"));
    }

    [Fact]
    public void ExecuteWithAlternatives_NoOrDuplicateStrategies_Rejected()
    {
        var engine = EngineTestKit.NewEngine(EngineTestKit.NewTime());

        Assert.Throws<ArgumentException>(() => engine.ExecuteWithAlternatives(Array.Empty<Strategy<string>>(), "op"));
        Assert.Throws<ArgumentException>(() => engine.ExecuteWithAlternatives([EngineTestKit.Ok("a"), EngineTestKit.Ok("a")], "op"));
    }
}
