using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Engine;

/// <summary>Shared helpers: fake time, engines and strategies whose completion the test controls.</summary>
internal static class EngineTestKit
{
    public static FakeTimeProvider NewTime() => new(new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Options for rule tests: no backoff (attempts follow at once) unless the test is about delays.</summary>
    public static ResilienceOptions Fast(Action<ResilienceOptions>? tweak = null)
    {
        var o = new ResilienceOptions { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, EnableProgressTracking = false };
        tweak?.Invoke(o);
        return o;
    }

    public static ResilienceEngine NewEngine(FakeTimeProvider time, ResilienceOptions? options = null, FailureAnalyzer? analyzer = null,
        Func<string, string, IEngineCircuit>? circuits = null) =>
        new(WithCentredJitter(options ?? Fast()), analyzer, time, null, null, circuits);

    /// <summary>Unless the test gives its own, a randomizer answering 0.5: the middle of the jitter, so waits are the plain backoff.</summary>
    private static ResilienceOptions WithCentredJitter(ResilienceOptions options)
    {
        var copy = options.Clone();
        copy.Randomizer ??= () => 0.5;
        return copy;
    }

    /// <summary>Advances fake time in small steps until the execution completes (timers complete their waiters inline).</summary>
    public static async Task<T> Drive<T>(FakeTimeProvider time, ValueTask<T> pending, TimeSpan? step = null)
    {
        var task = pending.AsTask();
        var s = step ?? TimeSpan.FromMilliseconds(100);
        for (var i = 0; !task.IsCompleted; i++)
        {
            if (i > 200_000)
            {
                throw new InvalidOperationException("The execution did not complete while time was advanced.");
            }

            time.Advance(s);
            await Task.Yield();
        }

        return await task;
    }

    public static Strategy<string> Ok(string name, double priority = 1.0, string? value = null) =>
        new(name, _ => Task.FromResult(value ?? name), priority);

    public static Strategy<string> Fails(string name, Exception error, double priority = 1.0, List<string>? log = null) =>
        new(name, _ =>
        {
            log?.Add(name);
            return Task.FromException<string>(error);
        }, priority);

    public static Strategy<string> Counting(string name, Func<int, string> behaviour, double priority = 1.0) =>
        new(name, Counter(behaviour), priority);

    private static Func<CancellationToken, Task<string>> Counter(Func<int, string> behaviour)
    {
        var n = 0;
        return _ =>
        {
            try
            {
                return Task.FromResult(behaviour(++n));
            }
            catch (Exception e)
            {
                return Task.FromException<string>(e);
            }
        };
    }

    public static Exception Transient() => new ServiceException("service unavailable", 503);

    public static Exception Permanent() => new ArgumentException("bad request");
}

/// <summary>A strategy whose attempts wait until the test completes them, and which observes cancellation.</summary>
internal sealed class Gated
{
    private readonly List<TaskCompletionSource<string>> _attempts = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _startWaiters = [];
    private readonly Lock _lock = new();

    public Gated(string name, double priority = 1.0)
    {
        Strategy = new Strategy<string>(name, RunAsync, priority);
        Name = name;
    }

    public string Name { get; }

    public Strategy<string> Strategy { get; }

    public int Started
    {
        get
        {
            lock (_lock)
            {
                return _attempts.Count;
            }
        }
    }

    public List<CancellationToken> Tokens { get; } = [];

    public Exception? ThrowOnCancel { get; init; }

    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once <paramref name="count"/> attempts have started: a synchronisation point, not a guess at how long the engine needs.</summary>
    public Task WhenStarted(int count)
    {
        lock (_lock)
        {
            if (_attempts.Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _startWaiters.Add((count, signal));
            return signal.Task;
        }
    }

    public TaskCompletionSource<string> Attempt(int index)
    {
        lock (_lock)
        {
            return _attempts[index];
        }
    }

    private async Task<string> RunAsync(CancellationToken ct)
    {
        var tcs = new TaskCompletionSource<string>();
        List<TaskCompletionSource>? reached = null;
        lock (_lock)
        {
            _attempts.Add(tcs);
            Tokens.Add(ct);
            for (var i = _startWaiters.Count - 1; i >= 0; i--)
            {
                if (_startWaiters[i].Count <= _attempts.Count)
                {
                    (reached ??= []).Add(_startWaiters[i].Signal);
                    _startWaiters.RemoveAt(i);
                }
            }
        }

        reached?.ForEach(s => s.SetResult());

        try
        {
            return await tcs.Task.WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ThrowOnCancel is not null)
        {
            throw ThrowOnCancel;
        }
        finally
        {
            Finished.TrySetResult();
        }
    }
}

/// <summary>A circuit the test opens and closes by hand.</summary>
internal sealed class ManualCircuit : IEngineCircuit
{
    public TimeSpan? OpenFor { get; set; }

    public int Successes { get; private set; }

    public int Failures { get; private set; }

    public bool TryAcquire(out TimeSpan? retryAfter)
    {
        retryAfter = OpenFor;
        return OpenFor is null;
    }

    public void RecordSuccess() => Successes++;

    public void RecordFailure(Exception error) => Failures++;

    public void Release()
    {
    }
}
