namespace Steadfast;

/// <summary>
/// Counts successes and failures over a sliding window split into <see cref="CircuitBreakerConstants.SamplingBuckets"/>
/// buckets. Recording is lock-free (a volatile read and an interlocked increment); only rolling a bucket over to a new
/// period takes the lock, once per bucket period, so the closed-circuit success path of failure-ratio mode stays lock-free.
/// </summary>
/// <remarks>
/// A call that read the clock just before a bucket rolled over may land in the newer period; the ratio is a
/// statistic, and that imprecision of one call is the price of not locking every call.
/// </remarks>
internal sealed class SamplingWindow
{
    private const int BucketCount = CircuitBreakerConstants.SamplingBuckets;

    private readonly Lock _lock = new();
    private readonly Bucket[] _buckets = new Bucket[BucketCount];
    private readonly TimeProvider _time;
    private readonly bool _useTickCount;
    private readonly long _bucketLength;

    public SamplingWindow(TimeSpan samplingDuration, TimeProvider time)
    {
        _time = time;

        // With the system clock, Environment.TickCount64 (a coarse millisecond clock, a few nanoseconds to read) is
        // precise enough for buckets of at least 10 ms and far cheaper than a high-resolution timestamp on every call.
        // Any other provider (FakeTimeProvider in tests) is asked for its timestamp, so time stays drivable.
        _useTickCount = ReferenceEquals(time, TimeProvider.System);
        var unitsPerSecond = _useTickCount ? 1000.0 : time.TimestampFrequency;
        _bucketLength = Math.Max(1, (long)(samplingDuration.TotalSeconds * unitsPerSecond / BucketCount));
        Clear();
    }

    public void RecordSuccess() => Interlocked.Increment(ref Current().Successes);

    public void RecordFailure() => Interlocked.Increment(ref Current().Failures);

    /// <summary>Sums the buckets that belong to the current window.</summary>
    public (int Successes, int Failures) Totals()
    {
        var epoch = CurrentEpoch();
        int successes = 0, failures = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            ref var b = ref _buckets[i];
            var e = Volatile.Read(ref b.Epoch);
            if (e > epoch - BucketCount && e <= epoch)
            {
                successes += Volatile.Read(ref b.Successes);
                failures += Volatile.Read(ref b.Failures);
            }
        }

        return (successes, failures);
    }

    public void Clear()
    {
        lock (_lock)
        {
            for (var i = 0; i < BucketCount; i++)
            {
                ref var b = ref _buckets[i];
                b.Successes = 0;
                b.Failures = 0;
                Volatile.Write(ref b.Epoch, long.MinValue);
            }
        }
    }

    private ref Bucket Current()
    {
        var epoch = CurrentEpoch();
        ref var b = ref _buckets[(int)(epoch % BucketCount)];
        if (Volatile.Read(ref b.Epoch) != epoch)
        {
            Roll(ref b, epoch);
        }

        return ref b;
    }

    private long CurrentEpoch() => (_useTickCount ? Environment.TickCount64 : _time.GetTimestamp()) / _bucketLength;

    private void Roll(ref Bucket b, long epoch)
    {
        lock (_lock)
        {
            if (b.Epoch < epoch)
            {
                b.Successes = 0;
                b.Failures = 0;
                Volatile.Write(ref b.Epoch, epoch);
            }
        }
    }

    private struct Bucket
    {
        public long Epoch;
        public int Successes;
        public int Failures;
    }
}
