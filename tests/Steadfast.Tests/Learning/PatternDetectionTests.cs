using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Learning;

/// <summary>Each of the five patterns (docs/learning.md) on both sides of its line, and which wins when several match. N = 3.</summary>
public sealed class PatternDetectionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
    private FailureAnalyzer _analyzer = null!;

    public Task InitializeAsync()
    {
        _analyzer = Create(new FailureAnalyzerOptions());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _analyzer.DisposeAsync();

    private FailureAnalyzer Create(FailureAnalyzerOptions options) => new(new InMemoryFailureStore(timeProvider: _time), options, _time);

    private void Fail(Exception ex, string operation = "op", string? provider = null, string? strategy = null, int advanceSeconds = 90)
    {
        _analyzer.RecordFailure(ex, operation, provider is null ? null : new Dictionary<string, object?> { ["provider"] = provider }, strategy);
        _time.Advance(TimeSpan.FromSeconds(advanceSeconds));
    }

    private void Succeed(string operation = "op", int advanceSeconds = 90)
    {
        _analyzer.RecordSuccess(operation);
        _time.Advance(TimeSpan.FromSeconds(advanceSeconds));
    }

    private static ServiceException Http(int status) => new($"HTTP {status} from upstream", status);

    // ---------------------------------------------------------------- no data

    [Fact]
    public void AnalyzePattern_UnknownOperation_ReturnsNoneWithZeroFailures()
    {
        var a = _analyzer.AnalyzePattern("nothing");

        Assert.Equal(FailurePattern.None, a.Pattern);
        Assert.Equal(0, a.FailureCount);
        Assert.Empty(a.Recommendations);
    }

    // ---------------------------------------------------------------- Repeating

    [Fact]
    public void Repeating_ThreeSameSignatureWithDifferentIds_Detected()
    {
        Fail(new InvalidOperationException("order 17 was rejected"));
        Fail(new InvalidOperationException("order 2044 was rejected"));
        Fail(new InvalidOperationException("order 9 was rejected"));

        var a = _analyzer.AnalyzePattern("op");

        Assert.Equal(FailurePattern.Repeating, a.Pattern);
        Assert.Equal(3, a.FailureCount);
        Assert.Contains("try an alternative approach", a.Recommendations[0], StringComparison.Ordinal);
        Assert.Contains("3 times", a.Recommendations[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Repeating_TwoSameAndOneDifferentMessage_NotDetected()
    {
        Fail(new InvalidOperationException("order 17 was rejected"));
        Fail(new InvalidOperationException("order 2044 was rejected"));
        Fail(new InvalidOperationException("disk quota reached"));

        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void Repeating_ThirdFailureOutsideWindow_NotDetected()
    {
        Fail(new InvalidOperationException("rejected"), advanceSeconds: 601);
        Fail(new InvalidOperationException("rejected"));
        Fail(new InvalidOperationException("rejected"), advanceSeconds: 0);

        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void Repeating_FailuresOfOtherOperations_DoNotCount()
    {
        Fail(new InvalidOperationException("rejected"));
        Fail(new InvalidOperationException("rejected"));
        Fail(new InvalidOperationException("rejected"), operation: "other");

        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern("op").Pattern);
        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern("OP").Pattern);
    }

    // ---------------------------------------------------------------- Cascading

    [Fact]
    public void Cascading_ThreeFailuresTwoTypesWithinExactly60s_Detected()
    {
        Fail(new TimeoutException("slow"), advanceSeconds: 30);
        Fail(new HttpRequestException("refused"), advanceSeconds: 30);
        Fail(new TimeoutException("slow again"), advanceSeconds: 0);

        var a = _analyzer.AnalyzePattern("op");

        Assert.Equal(FailurePattern.Cascading, a.Pattern);
        Assert.Contains("check the dependencies", a.Recommendations[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Cascading_SameFailuresSpread61s_NotDetected()
    {
        Fail(new TimeoutException("slow"), advanceSeconds: 30);
        Fail(new HttpRequestException("refused"), advanceSeconds: 31);
        Fail(new TimeoutException("slow again"), advanceSeconds: 0);

        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void Cascading_ThreeCloseFailuresOfOneType_IsRepeatingInstead()
    {
        Fail(new TimeoutException("slow"), advanceSeconds: 1);
        Fail(new TimeoutException("slow"), advanceSeconds: 1);
        Fail(new TimeoutException("slow"), advanceSeconds: 0);

        Assert.Equal(FailurePattern.Repeating, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void Cascading_BeatsRepeating_WhenBothMatch()
    {
        Fail(new TimeoutException("slow"), advanceSeconds: 1);
        Fail(new TimeoutException("slow"), advanceSeconds: 1);
        Fail(new HttpRequestException("refused"), advanceSeconds: 1);
        Fail(new TimeoutException("slow"), advanceSeconds: 0);

        Assert.Equal(FailurePattern.Cascading, _analyzer.AnalyzePattern("op").Pattern);
    }

    // ---------------------------------------------------------------- Intermittent

    [Fact]
    public void Intermittent_AlternatingThreeFlipsHalfFailing_DetectedAndBeatsRepeating()
    {
        for (var i = 0; i < 3; i++)
        {
            Succeed();
            Fail(new TimeoutException("slow"));
        }

        var a = _analyzer.AnalyzePattern("op");

        Assert.Equal(FailurePattern.Intermittent, a.Pattern);
        Assert.Contains("circuit breaker", a.Recommendations[0], StringComparison.Ordinal);
        Assert.Contains("3 success-to-failure flips", a.Recommendations[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Intermittent_OnlyTwoFlips_NotDetected()
    {
        Succeed();
        Fail(new TimeoutException("slow"));
        Succeed();
        Fail(new TimeoutException("slow"));
        Fail(new TimeoutException("slow"));

        Assert.Equal(FailurePattern.Repeating, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public async Task Intermittent_FailureRateAboveMax_NotDetected()
    {
        await _analyzer.DisposeAsync();
        _analyzer = Create(new FailureAnalyzerOptions { IntermittentMaxFailureRate = 0.5 });
        for (var i = 0; i < 3; i++)
        {
            Succeed();
            Fail(new TimeoutException("slow"));
        }

        Assert.Equal(FailurePattern.Intermittent, _analyzer.AnalyzePattern("op").Pattern); // 3 of 6 = 0.5: inside

        Fail(new TimeoutException("slow")); // 4 of 7 > 0.5: outside

        Assert.Equal(FailurePattern.Repeating, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void Intermittent_FailureRateBelowMin_NotDetected()
    {
        for (var i = 0; i < 3; i++)
        {
            Succeed(advanceSeconds: 10);
            Succeed(advanceSeconds: 10);
            Succeed(advanceSeconds: 10);
            Succeed(advanceSeconds: 10);
            Fail(new TimeoutException("slow " + i), advanceSeconds: 10);
            Succeed(advanceSeconds: 10);
            Succeed(advanceSeconds: 10);
            Succeed(advanceSeconds: 10);
            Succeed(advanceSeconds: 10);
        }

        // 3 failures of 27 outcomes = 0.11 < 0.2.
        Assert.NotEqual(FailurePattern.Intermittent, _analyzer.AnalyzePattern("op").Pattern);
    }

    // ---------------------------------------------------------------- Permanent

    [Fact]
    public void Permanent_ThreeConsecutiveNonTransient_Detected()
    {
        Fail(Http(401));
        Fail(Http(401));
        Fail(Http(401));

        var a = _analyzer.AnalyzePattern("op");

        Assert.Equal(FailurePattern.Permanent, a.Pattern);
        Assert.Equal(ErrorCategory.Authentication, a.RootCause.Category);
        Assert.Contains("retrying will not help", a.Recommendations[0], StringComparison.Ordinal);
        Assert.Contains("HTTP 401", a.Recommendations[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Permanent_SuccessInBetween_NotDetected()
    {
        Fail(Http(404));
        Fail(Http(404));
        Succeed();
        Fail(Http(404));

        Assert.Equal(FailurePattern.Repeating, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void Permanent_TransientErrors_NotDetected()
    {
        Fail(Http(503));
        Fail(Http(408));
        Fail(Http(429));

        Assert.NotEqual(FailurePattern.Permanent, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void Permanent_MixedTransientInRun_NotDetected()
    {
        Fail(Http(400));
        Fail(Http(503));
        Fail(Http(400));

        Assert.NotEqual(FailurePattern.Permanent, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void Permanent_SameErrorUnbrokenForPermanentSpan_Detected()
    {
        Fail(Http(503), advanceSeconds: 30 * 60);
        Fail(Http(503), advanceSeconds: 0);

        var a = _analyzer.AnalyzePattern("op");

        Assert.Equal(FailurePattern.Permanent, a.Pattern);
        Assert.Contains("30 min without a single success", a.Recommendations[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Permanent_SameErrorUnbrokenForLessThanSpan_NotDetected()
    {
        Fail(Http(503), advanceSeconds: (30 * 60) - 1);
        Fail(Http(503), advanceSeconds: 0);

        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void Permanent_SpanBrokenBySuccess_NotDetected()
    {
        Fail(Http(503), advanceSeconds: 15 * 60);
        Succeed(advanceSeconds: 15 * 60);
        Fail(Http(503), advanceSeconds: 0);

        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern("op").Pattern);
    }

    // ---------------------------------------------------------------- UnstableService

    [Fact]
    public void UnstableService_OneProviderThreeErrorTypesAcrossOperations_Detected()
    {
        Fail(new TimeoutException("slow"), operation: "a", provider: "svc");
        Fail(new HttpRequestException("refused"), operation: "b", provider: "svc");
        Fail(Http(500), operation: "a", provider: "svc");

        var a = _analyzer.AnalyzePattern("a");

        Assert.Equal(FailurePattern.UnstableService, a.Pattern);
        Assert.Contains("'svc'", a.Recommendations[0], StringComparison.Ordinal);
        Assert.Contains("fallback provider", a.Recommendations[0], StringComparison.Ordinal);
        Assert.Contains("3 different error types", a.Recommendations[0], StringComparison.Ordinal);
    }

    [Fact]
    public void UnstableService_TwoErrorTypes_NotDetected()
    {
        Fail(new TimeoutException("slow"), provider: "svc");
        Fail(new HttpRequestException("refused"), provider: "svc");
        Fail(new TimeoutException("slow"), operation: "b", provider: "svc");

        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void UnstableService_NoServiceProviderHostOrStrategy_CountsTowardNone()
    {
        Fail(new TimeoutException("slow"));
        Fail(new HttpRequestException("refused"));
        Fail(Http(500));

        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void UnstableService_DifferentProviders_NotDetected()
    {
        Fail(new TimeoutException("slow"), provider: "x");
        Fail(new HttpRequestException("refused"), provider: "y");
        Fail(Http(500), provider: "z");

        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void UnstableService_StrategyStandsInForService()
    {
        Fail(new TimeoutException("slow"), strategy: "primary");
        Fail(new HttpRequestException("refused"), strategy: "primary");
        Fail(Http(500), strategy: "primary");

        Assert.Equal(FailurePattern.UnstableService, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void Permanent_BeatsUnstableService()
    {
        Fail(Http(401), provider: "svc");
        Fail(new ArgumentException("bad id"), provider: "svc");
        Fail(new KeyNotFoundException("missing"), provider: "svc");

        Assert.Equal(FailurePattern.Permanent, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public void UnstableService_BeatsIntermittent()
    {
        Succeed();
        Fail(new TimeoutException("slow"), provider: "svc");
        Succeed();
        Fail(new HttpRequestException("refused"), provider: "svc");
        Succeed();
        Fail(Http(500), provider: "svc");

        Assert.Equal(FailurePattern.UnstableService, _analyzer.AnalyzePattern("op").Pattern);
    }

    // ---------------------------------------------------------------- root cause, recommendations, list overload

    [Fact]
    public void RootCause_RateLimited_RecommendationNamesStrategyCountSpanAndStatus()
    {
        for (var i = 0; i < 7; i++)
        {
            Fail(new ServiceException("Too Many Requests", 429), operation: "api_call", strategy: "primary_provider", advanceSeconds: 40);
        }

        var a = _analyzer.AnalyzePattern("api_call");

        Assert.Equal(ErrorCategory.RateLimited, a.RootCause.Category);
        Assert.Contains("HTTP 429", a.RootCause.Description, StringComparison.Ordinal);
        Assert.Contains(a.Recommendations, r => r.Contains("'primary_provider' failed 7 times in 4 min on 'api_call' with HTTP 429; honour Retry-After or lower concurrency", StringComparison.Ordinal));
        Assert.InRange(a.Confidence, 0.5, 1.0);
    }

    [Fact]
    public void AnalyzePattern_List_UsesTheGivenFailuresOnly()
    {
        var t = _time.GetUtcNow().AddDays(-3);
        var failures = Enumerable.Range(0, 3).Select(i => new Failure
        {
            Timestamp = t.AddMinutes(i * 5),
            Operation = "old_op",
            ErrorType = "ServiceException",
            ErrorMessage = "Unauthorized",
            Category = ErrorCategory.Authentication,
            StatusCode = 401,
        }).ToList();

        Assert.Equal(FailurePattern.Permanent, _analyzer.AnalyzePattern(failures).Pattern);
        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern(failures.Take(2).ToList()).Pattern);
        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern([]).Pattern);
    }

    [Fact]
    public void ErrorSignature_NormalisesNumbersHexIdsAndGuids()
    {
        Assert.Equal(
            ErrorSignature.Of("E", $"order 12 id {Guid.NewGuid()} at 0x7ffe12ab took 3.5 s"),
            ErrorSignature.Of("E", $"order 999 id {Guid.NewGuid()} at 0x1234abcd took 10.25 s"));
        Assert.NotEqual(ErrorSignature.Of("E", "order 12 rejected"), ErrorSignature.Of("F", "order 12 rejected"));
        Assert.NotEqual(ErrorSignature.Of("E", "order rejected"), ErrorSignature.Of("E", "order accepted"));
    }
}
