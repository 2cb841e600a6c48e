using Steadfast.Cli.Demo;

namespace Steadfast.Cli.Tests.Demo;

public sealed class DemoFormatTests
{
    [Theory]
    [InlineData(0.4, "0 ms")]
    [InlineData(350, "350 ms")]
    [InlineData(999.4, "999 ms")]
    [InlineData(1000, "1 s")]
    [InlineData(5150, "5.2 s")]
    [InlineData(90_000, "1.5 min")]
    [InlineData(5_400_000, "1.5 h")]
    public void Span_AnyLength_UnderASecondInMilliseconds(double milliseconds, string expected) =>
        Assert.Equal(expected, DemoFormat.Span(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Time_AnyOffset_IsoUtcWithTheDate() =>
        Assert.Equal("2026-11-22T11:00:05Z", DemoFormat.Time(new DateTimeOffset(2026, 11, 22, 12, 0, 5, TimeSpan.FromHours(1))));

    [Theory]
    [InlineData("5 failures in 0 s without a success", "5 failures in under a second without a success")]
    [InlineData("failed 3 times within 0 s with", "failed 3 times within under a second with")]
    [InlineData("failed 3 times in 10 s", "failed 3 times in 10 s")]
    public void LibraryText_ZeroSecondSpan_SaysUnderASecond(string text, string expected) =>
        Assert.Equal(expected, DemoFormat.LibraryText(text));
}
