namespace Steadfast.Tests.Retry;

public class RetryBudgetOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new RetryBudgetOptions();
        Assert.Equal(0.2, options.Ratio);
        Assert.Equal(10, options.MinRetriesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Window);
        options.Validate();
    }

    public static TheoryData<Action<RetryBudgetOptions>, string> InvalidOptions => new()
    {
        { o => o.Ratio = -0.1, "RetryBudgetOptions.Ratio must be between 0 and 1000; was -0.1." },
        { o => o.Ratio = 1000.5, "RetryBudgetOptions.Ratio must be between 0 and 1000; was 1000.5." },
        { o => o.Ratio = double.NaN, "RetryBudgetOptions.Ratio must be a number; was NaN." },
        { o => o.MinRetriesPerSecond = -1, "RetryBudgetOptions.MinRetriesPerSecond must be between 0 and 1000000; was -1." },
        { o => o.MinRetriesPerSecond = 1_000_001, "RetryBudgetOptions.MinRetriesPerSecond must be between 0 and 1000000; was 1000001." },
        { o => o.Window = TimeSpan.FromMilliseconds(999), "RetryBudgetOptions.Window must be between 00:00:01 and 00:01:00; was 00:00:00.9990000." },
        { o => o.Window = TimeSpan.FromSeconds(61), "RetryBudgetOptions.Window must be between 00:00:01 and 00:01:00; was 00:01:01." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOption_ThrowsNamingPropertyValueAndRange(Action<RetryBudgetOptions> configure, string message)
    {
        var options = new RetryBudgetOptions();
        configure(options);
        Assert.StartsWith(message, Assert.ThrowsAny<ArgumentException>(options.Validate).Message);
        Assert.StartsWith(message, Assert.ThrowsAny<ArgumentException>(() => new RetryBudget(options)).Message);
        Assert.StartsWith(message, Assert.ThrowsAny<ArgumentException>(() => new RetryOptions { Budget = options }.Validate()).Message);
    }

    [Fact]
    public void Validate_BoundaryValues_AreAccepted()
    {
        new RetryBudgetOptions { Ratio = 0, MinRetriesPerSecond = 0, Window = TimeSpan.FromSeconds(1) }.Validate();
        new RetryBudgetOptions { Ratio = 1000, MinRetriesPerSecond = 1_000_000, Window = TimeSpan.FromSeconds(60) }.Validate();
    }

    [Fact]
    public void Clone_ReturnsAnIndependentCopy()
    {
        var options = new RetryBudgetOptions { Ratio = 0.5, MinRetriesPerSecond = 3, Window = TimeSpan.FromSeconds(20) };
        var copy = options.Clone();
        options.Ratio = 0.1;
        options.MinRetriesPerSecond = 7;
        options.Window = TimeSpan.FromSeconds(5);

        Assert.Equal(0.5, copy.Ratio);
        Assert.Equal(3, copy.MinRetriesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(20), copy.Window);
    }

    [Fact]
    public void RetryOptionsClone_CopiesTheBudgetOptions()
    {
        var options = new RetryOptions { Budget = new RetryBudgetOptions { Ratio = 0.5 } };
        var copy = options.Clone();
        options.Budget.Ratio = 0.1;

        Assert.NotSame(options.Budget, copy.Budget);
        Assert.Equal(0.5, copy.Budget!.Ratio);
    }

    [Fact]
    public void Constructor_CopiesTheOptions_LaterChangesHaveNoEffect()
    {
        var options = new RetryBudgetOptions { Ratio = 0, MinRetriesPerSecond = 1, Window = TimeSpan.FromSeconds(1) };
        var budget = new RetryBudget(options);
        options.MinRetriesPerSecond = 100;

        Assert.True(budget.TryAcquireRetry());
        Assert.False(budget.TryAcquireRetry());
    }

    [Fact]
    public void Constructor_NoName_UsesRetryBudget_BlankNameThrows()
    {
        Assert.Equal("retry-budget", new RetryBudget().Name);
        Assert.Equal("payments", new RetryBudget("payments", null).Name);
        var ex = Assert.Throws<ArgumentException>(() => new RetryBudget(" ", null));
        Assert.StartsWith("RetryBudget.name must not be null, empty or white space", ex.Message);
    }
}
