namespace Steadfast;

/// <summary>
/// The sliding window of a <see cref="RetryBudget"/>: calls and retries counted in a ring of
/// <see cref="RetryBudgetConstants.Slices"/> slices of the window, with running totals, so recording, checking and
/// sliding cost O(1) (sliding touches at most the ring) and allocate nothing.
/// </summary>
/// <remarks>
/// Not thread-safe: the owning budget calls it under its lock. Time is a <see cref="TimeProvider"/> timestamp, which
/// never goes backwards; a slice index that did would simply keep counting into the current slice.
/// </remarks>
internal sealed class RetryBudgetWindow
{
    private readonly long[] _calls = new long[RetryBudgetConstants.Slices];
    private readonly long[] _retries = new long[RetryBudgetConstants.Slices];
    private readonly long _sliceLength;
    private long _currentSlice;
    private long _totalCalls;
    private long _totalRetries;

    /// <param name="window">The window's length.</param>
    /// <param name="timestampFrequency">Timestamp ticks per second of the clock that gives <c>now</c>.</param>
    /// <param name="now">The current timestamp.</param>
    public RetryBudgetWindow(TimeSpan window, long timestampFrequency, long now)
    {
        _sliceLength = Math.Max(1, (long)(window.TotalSeconds * timestampFrequency / RetryBudgetConstants.Slices));
        _currentSlice = now / _sliceLength;
    }

    /// <summary>Calls recorded in the window (after <see cref="Slide"/>).</summary>
    public long Calls => _totalCalls;

    /// <summary>Retries allowed in the window (after <see cref="Slide"/>).</summary>
    public long Retries => _totalRetries;

    /// <summary>Drops the slices that have left the window by <paramref name="now"/>.</summary>
    public void Slide(long now)
    {
        var slice = now / _sliceLength;
        var steps = slice - _currentSlice;
        if (steps <= 0)
        {
            return;
        }

        if (steps >= RetryBudgetConstants.Slices)
        {
            Array.Clear(_calls);
            Array.Clear(_retries);
            _totalCalls = 0;
            _totalRetries = 0;
        }
        else
        {
            for (var s = _currentSlice + 1; s <= slice; s++)
            {
                var i = Index(s);
                _totalCalls -= _calls[i];
                _totalRetries -= _retries[i];
                _calls[i] = 0;
                _retries[i] = 0;
            }
        }

        _currentSlice = slice;
    }

    /// <summary>Counts a call in the current slice (call <see cref="Slide"/> first).</summary>
    public void AddCall()
    {
        _calls[Index(_currentSlice)]++;
        _totalCalls++;
    }

    /// <summary>Counts a retry in the current slice (call <see cref="Slide"/> first).</summary>
    public void AddRetry()
    {
        _retries[Index(_currentSlice)]++;
        _totalRetries++;
    }

    private static int Index(long slice) => (int)(((slice % RetryBudgetConstants.Slices) + RetryBudgetConstants.Slices) % RetryBudgetConstants.Slices);
}
