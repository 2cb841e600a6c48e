namespace Steadfast;

/// <summary>
/// The waits of a retry policy: exponential backoff with optional
/// ±<see cref="RetryConstants.JitterRatio"/> jitter; the wait is the larger of the backoff and the failure's
/// retry-after hint, never more than <see cref="RetryOptions.MaxDelay"/> (docs/primitives.md states the same rule).
/// </summary>
internal sealed class RetrySchedule
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly double _factor;
    private readonly bool _jitter;
    private readonly Func<double> _random;

    public RetrySchedule(RetryOptions options, Func<double> random)
    {
        _initial = options.InitialDelay;
        _max = options.MaxDelay;
        _factor = options.BackoffFactor;
        _jitter = options.Jitter;
        _random = random;
    }

    /// <summary>
    /// Whether <paramref name="failure"/> asks to be retried only after more than <see cref="RetryOptions.MaxDelay"/>: then the
    /// operation is not retried at all (the engine moves on to its other strategies, a retry policy gives up with the failure)
    /// rather than retried early, against what the service said.
    /// </summary>
    public bool IsBeyondReach(Exception? failure)
        => failure is not null && ErrorClassifier.TryGetRetryAfter(failure, out var hint) && hint > _max;

    /// <summary>The wait after the failure of attempt <paramref name="retryIndex"/> (0 = the first call).</summary>
    public TimeSpan GetDelay(int retryIndex, Exception? failure, out TimeSpan? honouredHint)
    {
        // Computed in ticks as double so large factors saturate at MaxDelay instead of overflowing TimeSpan.
        var ticks = _initial.Ticks * Math.Pow(_factor, retryIndex);
        if (_jitter)
        {
            ticks *= 1 + (RetryConstants.JitterRatio * ((2 * _random()) - 1));
        }

        var delay = ticks >= _max.Ticks ? _max : TimeSpan.FromTicks((long)ticks);

        honouredHint = null;
        if (failure is not null && ErrorClassifier.TryGetRetryAfter(failure, out var hint) && hint > delay)
        {
            // The service knows better than our backoff when it will recover; MaxDelay stays the ceiling
            // so a hostile or buggy hint (hours) cannot park the caller.
            delay = hint < _max ? hint : _max;
            honouredHint = hint;
        }

        return delay;
    }
}
