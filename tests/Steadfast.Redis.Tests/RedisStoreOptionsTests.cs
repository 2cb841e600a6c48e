namespace Steadfast.Redis.Tests;

public sealed class RedisStoreOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass() => new RedisStoreOptions().Validate();

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_EmptyPrefix_ThrowsNamingTheOption(string prefix)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new RedisStoreOptions { KeyPrefix = prefix }.Validate());
        Assert.Contains("RedisStoreOptions.KeyPrefix", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RetentionBelowOneDay_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RedisStoreOptions { FailureRetention = TimeSpan.FromHours(1) }.Validate());
        Assert.Contains("RedisStoreOptions.FailureRetention", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_ChangingTheCopy_LeavesTheOriginal()
    {
        var original = new RedisStoreOptions { KeyPrefix = "a:" };
        var copy = original.Clone();
        copy.KeyPrefix = "b:";
        Assert.Equal("a:", original.KeyPrefix);
    }

    [Fact]
    public void Store_InvalidOptions_ThrowsAtConstruction() =>
        Assert.ThrowsAny<ArgumentException>(() => new RedisQueueStore(RedisTestServer.Connection, "q", new RedisStoreOptions { KeyPrefix = "" }));
}
