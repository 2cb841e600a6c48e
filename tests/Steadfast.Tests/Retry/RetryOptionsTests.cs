namespace Steadfast.Tests.Retry;

public class RetryOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new RetryOptions();
        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxDelay);
        Assert.Equal(2.0, options.BackoffFactor);
        Assert.True(options.Jitter);
        Assert.Empty(options.RetryOn);
        Assert.Empty(options.DontRetryOn);
        Assert.Null(options.ShouldHandle);
        Assert.Null(options.OnRetry);
        options.Validate();
    }

    public static TheoryData<Action<RetryOptions>, string> InvalidOptions => new()
    {
        { o => o.MaxAttempts = 0, "RetryOptions.MaxAttempts must be between 1 and 100; was 0." },
        { o => o.MaxAttempts = 101, "RetryOptions.MaxAttempts must be between 1 and 100; was 101." },
        { o => o.InitialDelay = TimeSpan.FromSeconds(-1), "RetryOptions.InitialDelay must be between 00:00:00 and 1.00:00:00; was -00:00:01." },
        { o => o.MaxDelay = TimeSpan.FromDays(2), "RetryOptions.MaxDelay must be between 00:00:00 and 1.00:00:00; was 2.00:00:00." },
        { o => o.MaxDelay = TimeSpan.FromMilliseconds(500), "RetryOptions.MaxDelay must be at least InitialDelay (00:00:01); was 00:00:00.5000000." },
        { o => o.BackoffFactor = 0.5, "RetryOptions.BackoffFactor must be between 1 and 10; was 0.5." },
        { o => o.BackoffFactor = 11, "RetryOptions.BackoffFactor must be between 1 and 10; was 11." },
        { o => o.BackoffFactor = double.NaN, "RetryOptions.BackoffFactor must be a number; was NaN." },
        { o => o.RetryOn.Add(typeof(string)), "RetryOptions.RetryOn must contain only exception types; was System.String." },
        { o => o.DontRetryOn.Add(null!), "RetryOptions.DontRetryOn must contain only exception types; was null." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOption_ThrowsNamingPropertyValueAndRange(Action<RetryOptions> configure, string message)
    {
        var options = new RetryOptions();
        configure(options);
        var ex = Assert.ThrowsAny<ArgumentException>(() => new RetryPolicy(options: options));
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public void Constructor_BlankName_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RetryPolicy(" "));
        Assert.StartsWith("RetryPolicy.name must not be null, empty or white space", ex.Message);
    }

    [Fact]
    public void Constructor_BoundaryValues_AreAccepted()
    {
        _ = new RetryPolicy(options: new RetryOptions { MaxAttempts = 1, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, BackoffFactor = 1 });
        _ = new RetryPolicy(options: new RetryOptions { MaxAttempts = 100, InitialDelay = TimeSpan.FromDays(1), MaxDelay = TimeSpan.FromDays(1), BackoffFactor = 10 });
    }

    [Fact]
    public void Constructor_NoName_UsesRetry()
    {
        Assert.Equal("retry", new RetryPolicy().Name);
    }

    [Fact]
    public void Clone_CopiesEveryValue_IntoNewLists()
    {
        Func<Exception, bool> handle = _ => true;
        Action<OnRetryArguments> onRetry = _ => { };
        var options = new RetryOptions
        {
            MaxAttempts = 7,
            InitialDelay = TimeSpan.FromSeconds(2),
            MaxDelay = TimeSpan.FromSeconds(9),
            BackoffFactor = 3,
            Jitter = false,
            RetryOn = { typeof(IOException) },
            DontRetryOn = { typeof(FileNotFoundException) },
            ShouldHandle = handle,
            OnRetry = onRetry,
        };

        var copy = options.Clone();
        options.RetryOn.Add(typeof(TimeoutException));
        options.DontRetryOn.Clear();

        Assert.Equal((7, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(9), 3.0, false), (copy.MaxAttempts, copy.InitialDelay, copy.MaxDelay, copy.BackoffFactor, copy.Jitter));
        Assert.Equal([typeof(IOException)], copy.RetryOn);
        Assert.Equal([typeof(FileNotFoundException)], copy.DontRetryOn);
        Assert.Same(handle, copy.ShouldHandle);
        Assert.Same(onRetry, copy.OnRetry);
    }
}
