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
    private readonly long _bucketTimestampTicks;

    public SamplingWindow(TimeSpan samplingDuration, TimeProvider time)
    {
        _time = time;
        _bucketTimestampTicks = Math.Max(1, (long)(samplingDuration.TotalSeconds * time.TimestampFrequency / BucketCount));
        Clear();
    }

    public void RecordSuccess() => Interlocked.Increment(ref Current().Successes);

    public void RecordFailure() => Interlocked.Increment(ref Current().Failures);

    /// <summary>Sums the buckets that belong to the current window.</summary>
    public (int Successes, int Failures) Totals()
    {
        var epoch = _time.GetTimestamp() / _bucketTimestampTicks;
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
        var epoch = _time.GetTimestamp() / _bucketTimestampTicks;
        ref var b = ref _buckets[(int)(epoch % BucketCount)];
        if (Volatile.Read(ref b.Epoch) != epoch)
        {
            Roll(ref b, epoch);
        }

        return ref b;
    }

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
