namespace Steadfast.AspNetCore.Http.Internal;

/// <summary>
/// Every response the attempts of one request produced, so that all but the one returned to the caller are disposed
/// (a response holds a connection until it is). A loser of a race may answer after the request is decided: it is
/// disposed at once.
/// </summary>
internal sealed class AttemptResponses
{
    private readonly Lock _lock = new();
    private readonly List<HttpResponseMessage> _responses = [];
    private bool _completed;

    /// <summary>Keeps <paramref name="response"/> until <see cref="Complete"/>; <see langword="false"/> (and disposed) when the request is already decided.</summary>
    public bool Add(HttpResponseMessage response)
    {
        lock (_lock)
        {
            if (!_completed)
            {
                _responses.Add(response);
                return true;
            }
        }

        response.Dispose();
        return false;
    }

    /// <summary>Whether <paramref name="response"/> is one of the kept responses (not yet disposed).</summary>
    public bool Holds(HttpResponseMessage response)
    {
        lock (_lock)
        {
            return _responses.Contains(response);
        }
    }

    /// <summary>Decides the request: every kept response except <paramref name="keep"/> is disposed, and so is any that comes later.</summary>
    public void Complete(HttpResponseMessage? keep)
    {
        List<HttpResponseMessage> losers;
        lock (_lock)
        {
            _completed = true;
            losers = [.. _responses];
            _responses.Clear();
        }

        // Disposed outside the lock: disposal runs the transport's code.
        foreach (var response in losers)
        {
            if (!ReferenceEquals(response, keep))
            {
                response.Dispose();
            }
        }
    }
}
