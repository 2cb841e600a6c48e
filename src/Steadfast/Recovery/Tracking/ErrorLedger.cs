namespace Steadfast.Recovery.Tracking;

/// <summary>
/// What the orchestrator remembers of errors: a bounded history (a ring), counts by severity and component, and the
/// patterns (component + error type) with their occurrences in the window, looked up in O(1) by key.
/// </summary>
internal sealed class ErrorLedger
{
    private readonly Lock _lock = new();
    private readonly ErrorRecorded[] _history;
    private readonly long[] _bySeverity = new long[(int)ErrorSeverity.Fatal + 1];
    private readonly Dictionary<string, long> _byComponent = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Component, string ErrorType), PatternOccurrences> _patterns = [];
    private readonly TimeSpan _window;
    private readonly int _threshold;
    private int _next;
    private int _count;
    private long _total;

    public ErrorLedger(RecoveryOptions options)
    {
        _history = new ErrorRecorded[options.MaxErrorHistory];
        _window = options.PatternWindow;
        _threshold = options.PatternEscalationThreshold;
    }

    /// <summary>Records an error; returns how often its pattern occurred within the window, this one included.</summary>
    public int Record(ErrorRecorded error)
    {
        lock (_lock)
        {
            _history[_next] = error;
            _next = (_next + 1) % _history.Length;
            _count = Math.Min(_count + 1, _history.Length);
            _total++;
            _bySeverity[(int)error.Severity]++;
            _byComponent[error.Component] = _byComponent.GetValueOrDefault(error.Component) + 1;
            var key = (error.Component, error.ErrorType);
            if (!_patterns.TryGetValue(key, out var pattern))
            {
                _patterns[key] = pattern = new PatternOccurrences(error.Component, error.ErrorType);
            }

            return pattern.Add(error.At, _window, _history.Length);
        }
    }

    /// <summary>Trims every pattern to the window and removes the empty ones; returns the errors per component within the window.</summary>
    public Dictionary<string, long> Cleanup(DateTimeOffset now)
    {
        lock (_lock)
        {
            var perComponent = new Dictionary<string, long>(StringComparer.Ordinal);
            List<(string, string)>? stale = null;
            foreach (var (key, pattern) in _patterns)
            {
                pattern.Trim(now, _window);
                if (pattern.Count == 0)
                {
                    (stale ??= []).Add(key);
                    continue;
                }

                perComponent[pattern.Component] = perComponent.GetValueOrDefault(pattern.Component) + pattern.Count;
            }

            stale?.ForEach(k => _patterns.Remove(k));
            return perComponent;
        }
    }

    public int PatternCount
    {
        get
        {
            lock (_lock)
            {
                return _patterns.Count;
            }
        }
    }

    public (long Total, Dictionary<ErrorSeverity, long> BySeverity, Dictionary<string, long> ByComponent, List<ErrorPatternStatus> Patterns, List<ErrorRecorded> Recent, int HistoryCount) Snapshot(DateTimeOffset now, int recent)
    {
        lock (_lock)
        {
            var bySeverity = Enum.GetValues<ErrorSeverity>().ToDictionary(s => s, s => _bySeverity[(int)s]);
            var patterns = new List<ErrorPatternStatus>(_patterns.Count);
            foreach (var pattern in _patterns.Values)
            {
                pattern.Trim(now, _window);
                if (pattern.Count > 0)
                {
                    patterns.Add(new ErrorPatternStatus(pattern.Component, pattern.ErrorType, pattern.Count, pattern.FirstSeen, pattern.LastSeen, pattern.Count >= _threshold));
                }
            }

            patterns.Sort((a, b) => b.Count != a.Count ? b.Count.CompareTo(a.Count) : b.LastSeen.CompareTo(a.LastSeen));
            var newest = new List<ErrorRecorded>(Math.Min(recent, _count));
            for (var i = 1; i <= Math.Min(recent, _count); i++)
            {
                newest.Add(_history[(_next - i + _history.Length) % _history.Length]);
            }

            return (_total, bySeverity, new Dictionary<string, long>(_byComponent, StringComparer.Ordinal), patterns, newest, _count);
        }
    }
}
