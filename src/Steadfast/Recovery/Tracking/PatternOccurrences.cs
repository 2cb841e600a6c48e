namespace Steadfast.Recovery.Tracking;

/// <summary>The occurrences of one pattern within its window, oldest first; trimmed as time passes.</summary>
internal sealed class PatternOccurrences(string component, string errorType)
{
    private readonly Queue<DateTimeOffset> _times = new();

    public string Component { get; } = component;

    public string ErrorType { get; } = errorType;

    public int Count => _times.Count;

    public DateTimeOffset FirstSeen => _times.Peek();

    public DateTimeOffset LastSeen { get; private set; }

    public int Add(DateTimeOffset at, TimeSpan window, int cap)
    {
        _times.Enqueue(at);
        LastSeen = at;
        Trim(at, window);
        while (_times.Count > cap)
        {
            _times.Dequeue();
        }

        return _times.Count;
    }

    /// <summary>Drops occurrences older than the window; amortised O(1) per occurrence, each leaves once.</summary>
    public void Trim(DateTimeOffset now, TimeSpan window)
    {
        while (_times.Count > 0 && now - _times.Peek() > window)
        {
            _times.Dequeue();
        }
    }
}
