namespace Steadfast.Tests.Validation;

public class GuardTests
{
    private sealed class SampleOptions
    {
        public int Count { get; set; }

        public TimeSpan Delay { get; set; }

        public string? Name { get; set; }
    }

    [Fact]
    public void InRange_ValueOutside_MessageNamesOwnerPropertyRangeAndValue()
    {
        var options = new SampleOptions { Count = 0 };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Guard.InRange(options.Count, 1, 100, nameof(SampleOptions)));
        Assert.StartsWith("SampleOptions.Count must be between 1 and 100; was 0.", ex.Message);
        Assert.Equal("SampleOptions.Count", ex.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void InRange_ValueOnBounds_Returns(int value) => Assert.Equal(value, Guard.InRange(value, 1, 100, "X"));

    [Fact]
    public void InRange_TimeSpan_FormatsInvariantly()
    {
        var options = new SampleOptions { Delay = TimeSpan.Zero };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Guard.InRange(options.Delay, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1), nameof(SampleOptions)));
        Assert.StartsWith("SampleOptions.Delay must be between 00:00:00.0010000 and 1.00:00:00; was 00:00:00.", ex.Message);
    }

    [Fact]
    public void AtLeast_Below_Throws_AtMin_Returns()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Guard.AtLeast(1.5, 2.0, "Owner", "Factor"));
        Assert.StartsWith("Owner.Factor must be at least 2; was 1.5.", ex.Message);
        Assert.Equal(2.0, Guard.AtLeast(2.0, 2.0, "Owner"));
    }

    [Fact]
    public void NotNullOrWhiteSpace_Blank_Throws_Text_Returns()
    {
        var options = new SampleOptions { Name = " " };
        var ex = Assert.Throws<ArgumentException>(() => Guard.NotNullOrWhiteSpace(options.Name, nameof(SampleOptions)));
        Assert.StartsWith("SampleOptions.Name must not be null, empty or white space; was ' '.", ex.Message);
        Assert.Equal("ok", Guard.NotNullOrWhiteSpace("ok", "X"));
    }

    [Fact]
    public void That_ConditionFalse_Throws_True_Passes()
    {
        var options = new SampleOptions { Count = 3 };
        var ex = Assert.Throws<ArgumentException>(() => Guard.That(false, options.Count, "must be even", nameof(SampleOptions)));
        Assert.StartsWith("SampleOptions.Count must be even; was 3.", ex.Message);
        Guard.That(true, options.Count, "must be odd", nameof(SampleOptions));
    }
}
