using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests.Infrastructure;

public class DurationParserTests
{
    [Theory]
    [InlineData("250ms", 0.25)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1.5h", 5400)]
    [InlineData("7d", 604800)]
    [InlineData("2w", 1209600)]
    [InlineData("00:01:30", 90)]
    public void TryParse_ValidForms_Parse(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var d));
        Assert.Equal(TimeSpan.FromSeconds(seconds), d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5m")]
    [InlineData("5 parsecs")]
    [InlineData("NaNs")]
    [InlineData("90")]
    [InlineData("1.5")]
    public void TryParse_InvalidForms_Fail(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _));
    }

    [Fact]
    public void Parse_Invalid_ThrowsUsageErrorNamingOptionAndValue()
    {
        var ex = Assert.Throws<CliException>(() => DurationParser.Parse("--expires", "tomorrow"));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.Contains("--expires", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'tomorrow'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90", "did you mean 90s?")]
    [InlineData(" 2.5 ", "did you mean 2.5s?")]
    public void Parse_BareNumber_SuggestsTheUnit(string text, string hint)
    {
        var ex = Assert.Throws<CliException>(() => DurationParser.Parse("--duration", text));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.StartsWith("--duration: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(hint, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NotANumber_DoesNotSuggestAUnit()
    {
        Assert.DoesNotContain("did you mean", Assert.Throws<CliException>(() => DurationParser.Parse("--duration", "fast")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(90, "1.5m")]
    [InlineData(3600, "1h")]
    [InlineData(86400 * 3, "3d")]
    [InlineData(0.5, "500ms")]
    public void Format_RoundTrips(double seconds, string expected)
    {
        Assert.Equal(expected, DurationParser.Format(TimeSpan.FromSeconds(seconds)));
        Assert.True(DurationParser.TryParse(expected, out var back));
        Assert.Equal(TimeSpan.FromSeconds(seconds), back);
    }
}
