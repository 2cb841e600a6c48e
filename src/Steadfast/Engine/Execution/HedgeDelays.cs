using System.Collections.Concurrent;

namespace Steadfast;

/// <summary>
/// How long a hedged execution waits for its leading strategy before it starts the next (<see cref="ResilienceOptions.HedgeDelay"/>,
/// or adaptive): the 90th percentile of the strategy's last <see cref="Window"/> successful attempts in races and hedges; with
/// fewer than <see cref="MinimumSamples"/> of those, twice its recent mean latency as the learning layer knows it; with
/// nothing known, a tenth of <see cref="ResilienceOptions.StrategyTimeout"/> (half of it for <see cref="SlowAfter"/>). Always
/// between 1 ms and the strategy timeout.
/// </summary>
/// <remarks>
/// Only executions with several strategies in flight record here, so the sequential happy path pays nothing for it. An attempt
/// cut after running longer than the estimate is recorded too (<see cref="RecordCut"/>), at the time it had run: its latency
/// is at least that, so it belongs in the tail. Leaving it out (recording winners only) biases the estimate down: each hedge
/// that wins cuts one of the leader's slow answers out of its samples, the 90th percentile falls, hedges start earlier and win
/// more often, and the spiral ends with a hedge on most calls.
/// </remarks>
internal sealed class HedgeDelays(ResilienceOptions options, EngineLearning learning)
{
    private const int Window = 32;
    private const int MinimumSamples = 5;
    private const double Percentile = 0.9;
    private readonly ConcurrentDictionary<(string Operation, string Strategy), Samples> _samples = new();

    public TimeSpan DelayFor(string operation, string strategy) =>
        Clamp(options.HedgeDelay ?? Adaptive(operation, strategy) ?? options.StrategyTimeout / 10);

    /// <summary>
    /// How long the strategy usually takes at most (the adaptive estimate, whatever <see cref="ResilienceOptions.HedgeDelay"/>
    /// says): a racer cut after running longer than this while another answered gave no answer in time. With nothing known of
    /// its latency, half the strategy timeout: a strategy is not held to a latency nobody has seen. (A tenth, the hedge delay's
    /// guess, branded a healthy provider slower than that a failure on every race it lost, until it was blacklisted without
    /// ever having been too slow.)
    /// </summary>
    public TimeSpan SlowAfter(string operation, string strategy) => Clamp(Adaptive(operation, strategy) ?? options.StrategyTimeout / 2);

    private TimeSpan Clamp(TimeSpan delay) =>
        delay < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1)
        : delay > options.StrategyTimeout ? options.StrategyTimeout
        : delay;

    /// <summary>Notes the duration of a successful attempt made in a race or a hedge.</summary>
    public void Record(string operation, string strategy, TimeSpan duration)
        => _samples.GetOrAdd((operation, strategy), static _ => new Samples()).Add(duration);

    /// <summary>
    /// Notes an attempt cut (another answered first) after running <paramref name="ranFor"/>: a lower bound of its latency,
    /// noted when it is past the current estimate, so certainly in the tail. One cut sooner says nothing about the tail.
    /// </summary>
    public void RecordCut(string operation, string strategy, TimeSpan ranFor)
    {
        if (ranFor > Clamp(Adaptive(operation, strategy) ?? options.StrategyTimeout / 10))
        {
            Record(operation, strategy, ranFor);
        }
    }

    /// <summary>The estimate from what is known of the strategy's latency; <see langword="null"/> when nothing is.</summary>
    private TimeSpan? Adaptive(string operation, string strategy)
    {
        if (_samples.TryGetValue((operation, strategy), out var samples) && samples.TryPercentile(Percentile, MinimumSamples, out var p))
        {
            return p;
        }

        var known = learning.Analyzer?.GetStrategyStatistics(strategy, operation);
        return known is { LatencySamples: > 0 } ? known.MeanLatency * 2 : null;
    }

    /// <summary>The last <see cref="Window"/> durations of one strategy, a ring under its own lock.</summary>
    private sealed class Samples
    {
        private readonly Lock _lock = new();
        private readonly TimeSpan[] _ring = new TimeSpan[Window];
        private int _count;
        private int _next;

        public void Add(TimeSpan duration)
        {
            lock (_lock)
            {
                _ring[_next] = duration;
                _next = (_next + 1) % Window;
                _count = Math.Min(_count + 1, Window);
            }
        }

        public bool TryPercentile(double percentile, int minimum, out TimeSpan value)
        {
            TimeSpan[] copy;
            lock (_lock)
            {
                if (_count < minimum)
                {
                    value = default;
                    return false;
                }

                copy = _ring[.._count];
            }

            Array.Sort(copy);
            value = copy[Math.Min(copy.Length - 1, (int)Math.Ceiling(percentile * copy.Length) - 1)];
            return true;
        }
    }
}
