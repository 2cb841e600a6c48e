using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.CircuitBreaker;

internal static class CircuitBreakerTestHelpers
{
    public static FakeTimeProvider NewTime() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static ValueTask<int> Ok(CancellationToken _) => ValueTask.FromResult(42);

    public static ValueTask<int> Fail(CancellationToken _) => throw new InvalidOperationException("boom");

    public static ValueTask<int> FailWith(Exception ex) => ValueTask.FromException<int>(ex);

    public static async Task FailTimes(Steadfast.CircuitBreaker cb, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => cb.ExecuteAsync(Fail).AsTask());
        }
    }

    public static async Task SucceedTimes(Steadfast.CircuitBreaker cb, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(42, await cb.ExecuteAsync(Ok));
        }
    }

    /// <summary>A logger factory that hands out one given logger, to capture what a breaker logs.</summary>
    public sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
