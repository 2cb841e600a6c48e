using Breaker = Steadfast.CircuitBreaker;

namespace Steadfast.Tests.CircuitBreaker;

public class CircuitBreakerOptionsTests
{
    public static TheoryData<string, Action<CircuitBreakerOptions>, string> InvalidOptions => new()
    {
        { "FailureThreshold", o => o.FailureThreshold = 0, "between 1 and 10000; was 0" },
        { "FailureThreshold", o => o.FailureThreshold = -3, "between 1 and 10000; was -3" },
        { "FailureThreshold", o => o.FailureThreshold = 10_001, "between 1 and 10000; was 10001" },
        { "Cooldown", o => o.Cooldown = TimeSpan.Zero, "must be between 00:00:00.0010000 and 1.00:00:00; was 00:00:00" },
        { "Cooldown", o => o.Cooldown = TimeSpan.FromSeconds(-1), "was -00:00:01" },
        { "Cooldown", o => o.Cooldown = TimeSpan.FromDays(2), "was 2.00:00:00" },
        { "HalfOpenMaxCalls", o => o.HalfOpenMaxCalls = 0, "between 1 and 1000; was 0" },
        { "HalfOpenMaxCalls", o => o.HalfOpenMaxCalls = 1001, "between 1 and 1000; was 1001" },
        { "SuccessThreshold", o => o.SuccessThreshold = 0, "between 1 and 1000; was 0" },
        { "SuccessThreshold", o => { o.HalfOpenMaxCalls = 2; o.SuccessThreshold = 3; }, "between 1 and HalfOpenMaxCalls (2); was 3" },
        { "FailureRatio", o => o.FailureRatio = 0, "above 0 and at most 1; was 0" },
        { "FailureRatio", o => o.FailureRatio = 1.5, "above 0 and at most 1; was 1.5" },
        { "FailureRatio", o => o.FailureRatio = double.NaN, "above 0 and at most 1; was NaN" },
        { "SamplingDuration", o => o.SamplingDuration = TimeSpan.FromMilliseconds(10), "was 00:00:00.0100000" },
        { "SamplingDuration", o => o.SamplingDuration = TimeSpan.FromDays(3), "was 3.00:00:00" },
        { "MinimumThroughput", o => o.MinimumThroughput = 0, "between 1 and 1000000; was 0" },
        { "CooldownGrowthFactor", o => o.CooldownGrowthFactor = 0.5, "between 1 and 100; was 0.5" },
        { "CooldownGrowthFactor", o => o.CooldownGrowthFactor = 101, "between 1 and 100; was 101" },
        { "MaxCooldown", o => { o.CooldownGrowthFactor = 2; o.MaxCooldown = TimeSpan.FromSeconds(1); }, "between 00:00:30 and 1.00:00:00; was 00:00:01" },
        { "Mode", o => o.Mode = (CircuitBreakerMode)7, "ConsecutiveFailures (0) or FailureRatio (1); was 7" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOption_ThrowsNamingPropertyValueAndRange(string property, Action<CircuitBreakerOptions> configure, string expected)
    {
        var options = new CircuitBreakerOptions();
        configure(options);
        var ex = Assert.ThrowsAny<ArgumentException>(() => new Breaker("x", options));
        Assert.Equal($"CircuitBreakerOptions.{property}", ex.ParamName);
        Assert.Contains($"CircuitBreakerOptions.{property} must be", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidDefaultOptionsOfRegistry_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CircuitBreakerRegistry(new CircuitBreakerOptions { FailureThreshold = 0 }));

    [Fact]
    public void Constructor_BoundaryValues_AreAccepted()
    {
        _ = new Breaker("min", new CircuitBreakerOptions
        {
            FailureThreshold = 1, Cooldown = TimeSpan.FromMilliseconds(1), HalfOpenMaxCalls = 1, SuccessThreshold = 1,
            FailureRatio = 1, SamplingDuration = TimeSpan.FromMilliseconds(100), MinimumThroughput = 1, CooldownGrowthFactor = 1,
        });
        _ = new Breaker("max", new CircuitBreakerOptions
        {
            FailureThreshold = 10_000, Cooldown = TimeSpan.FromDays(1), HalfOpenMaxCalls = 1000, SuccessThreshold = 1000,
            FailureRatio = 0.001, SamplingDuration = TimeSpan.FromDays(1), MinimumThroughput = 1_000_000,
            CooldownGrowthFactor = 100, MaxCooldown = TimeSpan.FromDays(1),
        });
    }

    [Fact]
    public void Validate_MaxCooldownBelowCooldownWithoutGrowth_IsIgnored()
    {
        var o = new CircuitBreakerOptions { Cooldown = TimeSpan.FromHours(1), MaxCooldown = TimeSpan.FromMinutes(1) };
        o.Validate();
    }
}
