using System.Globalization;

namespace Steadfast.Chaos.Competitors;

/// <summary>Counts what the engine's results say about their attempts, for the report's notes (thread-safe).</summary>
internal sealed class AttemptTally
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private TimeSpan _waited;
    private int _calls;

    public void Add<T>(ResilienceResult<T> result)
    {
        lock (_lock)
        {
            _calls++;
            Bump($"stop: {result.StopReason}");
            foreach (var attempt in result.Attempts)
            {
                _waited += attempt.DelayBefore;
                var what = attempt.Outcome == AttemptOutcome.Skipped
                    ? $"skipped ({Shorten(attempt.SkipReason)})"
                    : attempt.Outcome.ToString().ToLowerInvariant();
                Bump($"{attempt.Strategy} {what}");
            }
        }
    }

    public IReadOnlyList<string> Describe()
    {
        lock (_lock)
        {
            var lines = new List<string>
            {
                string.Create(CultureInfo.InvariantCulture, $"backoff waited: {_waited.TotalSeconds:0.0} s in total, {(_calls == 0 ? 0 : _waited.TotalMilliseconds / _calls):0.0} ms per call"),
            };
            lines.AddRange(_counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}: {c.Value}")));
            return lines;
        }
    }

    // "blacklisted: 5 failures in 0 s ..." and "circuit open" carry details; the kind is what counts here.
    private static string Shorten(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return "?";
        }

        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? reason[..colon] : reason;
    }

    private void Bump(string key) => _counts[key] = _counts.GetValueOrDefault(key) + 1;
}
