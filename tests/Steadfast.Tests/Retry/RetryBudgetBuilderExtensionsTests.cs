using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Retry;

namespace Steadfast.Tests.Retry;

public class RetryBudgetBuilderExtensionsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task PollyRetry_RetryBeyondTheBudget_EndsWithRetryBudgetExceeded()
    {
        var budget = OneRetry();
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddSteadfastRetryBudget(budget)
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 5, Delay = TimeSpan.Zero }.WithSteadfastRetryBudget())
            .Build();
        var attempts = 0;

        var ex = await Assert.ThrowsAsync<RetryBudgetExceededException>(async () =>
            await pipeline.ExecuteAsync<int>(_ => { attempts++; throw new IOException("down"); }));

        Assert.Equal(2, attempts);                        // the first call and the one retry the budget allowed
        Assert.IsType<IOException>(ex.InnerException);
        Assert.Equal(budget.Name, ex.BudgetName);
        Assert.IsAssignableFrom<ExecutionRejectedException>(ex);
        Assert.Equal(1, budget.CallsInWindow);
        Assert.Equal(1, budget.RetriesInWindow);
        Assert.Equal(1, budget.RefusedRetries);
    }

    [Fact]
    public async Task PollyRetry_Refused_EndsAtOnceWithoutWaitOrOnRetry()
    {
        var budget = NoRetries();
        var onRetry = 0;
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddSteadfastRetryBudget(budget)
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 3,
                Delay = TimeSpan.FromSeconds(10),
                OnRetry = _ => { onRetry++; return default; },
            }.WithSteadfastRetryBudget())
            .Build();

        var pending = pipeline.ExecuteAsync<int>(_ => throw new IOException("down")).AsTask();

        Assert.True(pending.IsCompleted);                 // no 10 s wait on the fake clock
        await Assert.ThrowsAsync<RetryBudgetExceededException>(() => pending);
        Assert.Equal(0, onRetry);
    }

    [Fact]
    public async Task PollyRetry_WithinTheBudget_RetriesAsUsual()
    {
        var budget = OneRetry();
        var pipeline = new ResiliencePipelineBuilder()
            .AddSteadfastRetryBudget(budget)
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, Delay = TimeSpan.Zero }.WithSteadfastRetryBudget())
            .Build();
        var attempts = 0;

        var value = await pipeline.ExecuteAsync(_ => ++attempts == 1 ? throw new IOException("once") : ValueTask.FromResult(7));

        Assert.Equal(7, value);
        Assert.Equal(1, budget.RetriesInWindow);
        Assert.Equal(0, budget.RefusedRetries);
    }

    [Fact]
    public async Task PollyRetry_LastAttempt_DoesNotSpendTheBudget()
    {
        var budget = Budget(minPerSecond: 5);
        var pipeline = new ResiliencePipelineBuilder()
            .AddSteadfastRetryBudget(budget)
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 1, Delay = TimeSpan.Zero }.WithSteadfastRetryBudget())
            .Build();

        await Assert.ThrowsAsync<IOException>(async () => await pipeline.ExecuteAsync<int>(_ => throw new IOException("down")));

        Assert.Equal(1, budget.RetriesInWindow);          // one retry made; Polly's question after the last attempt took nothing
    }

    [Fact]
    public async Task PollyRetry_WrappedWithoutBudgetInThePipeline_BehavesAsBefore()
    {
        var pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, Delay = TimeSpan.Zero }.WithSteadfastRetryBudget())
            .Build();
        var attempts = 0;

        await Assert.ThrowsAsync<IOException>(async () => await pipeline.ExecuteAsync<int>(_ => { attempts++; throw new IOException(); }));

        Assert.Equal(4, attempts);
    }

    [Fact]
    public async Task TypedPipeline_RefusedResult_IsDisposedAndEndsWithRetryBudgetExceeded()
    {
        var budget = NoRetries();
        var pipeline = new ResiliencePipelineBuilder<Response>()
            .AddSteadfastRetryBudget(budget)
            .AddRetry(new RetryStrategyOptions<Response>
            {
                MaxRetryAttempts = 3,
                Delay = TimeSpan.Zero,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Status: 503 }),
            }.WithSteadfastRetryBudget())
            .Build();
        var response = new Response(503);

        var ex = await Assert.ThrowsAsync<RetryBudgetExceededException>(async () => await pipeline.ExecuteAsync(_ => ValueTask.FromResult(response)));

        Assert.True(response.Disposed);
        Assert.Null(ex.InnerException);
        Assert.Contains("Response result", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SteadfastRetry_AsksTheBudgetOfThePipeline()
    {
        var budget = NoRetries();
        var pipeline = new ResiliencePipelineBuilder()
            .AddSteadfastRetryBudget(budget)
            .AddSteadfastRetry(new RetryOptions { MaxAttempts = 4, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero })
            .Build();
        var attempts = 0;

        await Assert.ThrowsAsync<RetryBudgetExceededException>(async () => await pipeline.ExecuteAsync<int>(_ => { attempts++; throw new IOException(); }));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task SteadfastRetry_FailureItDoesNotRetry_DoesNotSpendTheBudget()
    {
        var budget = Budget(minPerSecond: 5);
        var pipeline = new ResiliencePipelineBuilder()
            .AddSteadfastRetryBudget(budget)
            .AddSteadfastRetry(new RetryOptions { MaxAttempts = 4, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero })
            .Build();

        await Assert.ThrowsAsync<ArgumentException>(async () => await pipeline.ExecuteAsync<int>(_ => throw new ArgumentException("permanent")));

        Assert.Equal(0, budget.RetriesInWindow);
        Assert.Equal(1, budget.CallsInWindow);
    }

    [Fact]
    public async Task RetryPolicy_WithBudgetOptions_RefusesBeyondItsOwnBudget()
    {
        var policy = new RetryPolicy("budgeted", new RetryOptions
        {
            MaxAttempts = 5,
            InitialDelay = TimeSpan.Zero,
            MaxDelay = TimeSpan.Zero,
            Budget = new RetryBudgetOptions { Ratio = 0, MinRetriesPerSecond = 1, Window = TimeSpan.FromSeconds(1) },
        }, _time);
        var attempts = 0;

        var ex = await Assert.ThrowsAsync<RetryBudgetExceededException>(async () => await policy.ExecuteAsync<int>(_ => { attempts++; throw new IOException(); }));

        Assert.Equal(2, attempts);
        Assert.Equal("budgeted", ex.BudgetName);

        _time.Advance(TimeSpan.FromSeconds(1));           // the window slides: the budget has one retry again
        attempts = 0;
        await Assert.ThrowsAsync<RetryBudgetExceededException>(async () => await policy.ExecuteAsync<int>(_ => { attempts++; throw new IOException(); }));
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task ResilientExecutor_WithBudgetOptions_StopsRetryingAndReportsTheRefusal()
    {
        var executor = ResilientExecutor.Custom($"exec-{Guid.NewGuid():N}", new ResilientExecutorOptions
        {
            Retry = new RetryOptions
            {
                MaxAttempts = 5,
                InitialDelay = TimeSpan.Zero,
                MaxDelay = TimeSpan.Zero,
                Budget = new RetryBudgetOptions { Ratio = 0, MinRetriesPerSecond = 1, Window = TimeSpan.FromSeconds(1) },
            },
            CircuitBreaker = null,
            Timeout = null,
        }, timeProvider: _time);

        var result = await executor.ExecuteAsync<int>(_ => throw new IOException("down"), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal(2, result.Attempts);
        Assert.IsType<IOException>(Assert.IsType<RetryBudgetExceededException>(result.Error).InnerException);
    }

    [Fact]
    public async Task SameBudgetTwice_CountsTheCallOnce()
    {
        var budget = Budget(minPerSecond: 1);
        var pipeline = new ResiliencePipelineBuilder().AddSteadfastRetryBudget(budget).AddSteadfastRetryBudget(budget).Build();

        await pipeline.ExecuteAsync(_ => ValueTask.FromResult(1));

        Assert.Equal(1, budget.CallsInWindow);
    }

    [Fact]
    public async Task SharedBudget_PipelinesDrawFromOneAllowance()
    {
        var budget = OneRetry();
        ResiliencePipeline Pipeline() => new ResiliencePipelineBuilder()
            .AddSteadfastRetryBudget(budget)
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, Delay = TimeSpan.Zero }.WithSteadfastRetryBudget())
            .Build();
        var first = Pipeline();
        var second = Pipeline();

        await Assert.ThrowsAsync<RetryBudgetExceededException>(async () => await first.ExecuteAsync<int>(_ => throw new IOException()));
        var attempts = 0;
        await Assert.ThrowsAsync<RetryBudgetExceededException>(async () => await second.ExecuteAsync<int>(_ => { attempts++; throw new IOException(); }));

        Assert.Equal(1, attempts);                        // the first pipeline spent the one retry
        Assert.Equal(2, budget.CallsInWindow);
    }

    [Fact]
    public void ErrorClassifier_RetryBudgetExceeded_IsJudgedByTheFailureItDidNotRetry()
    {
        var refused503 = new RetryBudgetExceededException("b", new ServiceException("down", 503, TimeSpan.FromSeconds(3)), null);
        Assert.Equal(ErrorCategory.ServerError, ErrorClassifier.Classify(refused503));
        Assert.True(ErrorClassifier.TryGetRetryAfter(refused503, out var hint));
        Assert.Equal(TimeSpan.FromSeconds(3), hint);

        Assert.Equal(ErrorCategory.Network, ErrorClassifier.Classify(new RetryBudgetExceededException("b", new IOException(), null)));
        Assert.Equal(ErrorCategory.RateLimited, ErrorClassifier.Classify(new RetryBudgetExceededException("b", null, "a result")));
    }

    private RetryBudget Budget(int minPerSecond) =>
        new(new RetryBudgetOptions { Ratio = 0, MinRetriesPerSecond = minPerSecond, Window = TimeSpan.FromSeconds(1) }, _time);

    private RetryBudget OneRetry() => Budget(minPerSecond: 1);

    private RetryBudget NoRetries() => Budget(minPerSecond: 0);

    private sealed class Response(int status) : IDisposable
    {
        public int Status { get; } = status;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
