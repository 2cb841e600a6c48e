using Polly;

namespace Steadfast.Tests.Fallback;

public class FallbackPolicyTests
{
    [Fact]
    public async Task ExecuteAsync_OperationFails_ReturnsFallbackAndNotifies()
    {
        OnFallbackArguments? seen = null;
        var policy = new FallbackPolicy<string>(_ => ValueTask.FromResult("cached"), "quotes",
            new FallbackOptions { OnFallback = a => seen = a });
        Assert.Equal("cached", await policy.ExecuteAsync(_ => throw new IOException("down")));
        Assert.Equal("quotes", seen?.Name);
        Assert.IsType<IOException>(seen?.Exception);
    }

    [Fact]
    public async Task ExecuteAsync_OperationSucceeds_FallbackNotUsed()
    {
        var used = false;
        var policy = new FallbackPolicy<string>(_ => { used = true; return ValueTask.FromResult("cached"); }, "q");
        Assert.Equal("live", await policy.ExecuteAsync(_ => ValueTask.FromResult("live")));
        Assert.False(used);
    }

    [Fact]
    public async Task ExecuteAsync_ShouldHandleFalse_ExceptionPropagates()
    {
        var policy = new FallbackPolicy<int>(_ => ValueTask.FromResult(0), "q", new FallbackOptions { ShouldHandle = ex => ex is IOException });
        await Assert.ThrowsAsync<ArgumentException>(async () => await policy.ExecuteAsync(_ => throw new ArgumentException("bad")));
        Assert.Equal(0, await policy.ExecuteAsync(_ => throw new IOException()));
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancels_NoFallback()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var policy = new FallbackPolicy<int>(_ => ValueTask.FromResult(0), "q");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await policy.ExecuteAsync(ct => { ct.ThrowIfCancellationRequested(); return ValueTask.FromResult(1); }, cts.Token));
    }

    [Fact]
    public async Task ExecuteAsync_FallbackThrows_ItsExceptionSurfaces()
    {
        var policy = new FallbackPolicy<int>(_ => throw new InvalidOperationException("cache empty"), "q",
            new FallbackOptions { OnFallback = _ => throw new InvalidOperationException("subscriber bug") });
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await policy.ExecuteAsync(_ => throw new IOException()));
        Assert.Equal("cache empty", ex.Message);
    }

    [Fact]
    public void Constructor_BlankName_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new FallbackPolicy<int>(_ => ValueTask.FromResult(0), ""));
        Assert.StartsWith("FallbackPolicy.name must not be null, empty or white space; was ''.", ex.Message);
    }

    [Fact]
    public void Constructor_NoName_UsesFallback()
    {
        Assert.Equal("fallback", new FallbackPolicy<int>(_ => ValueTask.FromResult(0)).Name);
    }

    [Fact]
    public async Task Constructor_OptionsChangedAfterwards_HaveNoEffect()
    {
        var options = new FallbackOptions { ShouldHandle = ex => ex is IOException };
        var policy = new FallbackPolicy<int>(_ => ValueTask.FromResult(0), "q", options);
        options.ShouldHandle = _ => true;
        await Assert.ThrowsAsync<ArgumentException>(async () => await policy.ExecuteAsync(_ => throw new ArgumentException("bad")));
    }

    [Fact]
    public void Clone_CopiesEveryValue()
    {
        Func<Exception, bool> handle = _ => true;
        Action<OnFallbackArguments> onFallback = _ => { };
        var copy = new FallbackOptions { ShouldHandle = handle, OnFallback = onFallback }.Clone();
        Assert.Same(handle, copy.ShouldHandle);
        Assert.Same(onFallback, copy.OnFallback);
    }

    [Fact]
    public async Task AddSteadfastFallback_InAPollyPipeline_ReturnsFallback()
    {
        var pipeline = new ResiliencePipelineBuilder<int>().AddSteadfastFallback(_ => ValueTask.FromResult(-1)).Build();
        Assert.Equal(-1, await pipeline.ExecuteAsync<int>(_ => throw new IOException()));
    }
}
