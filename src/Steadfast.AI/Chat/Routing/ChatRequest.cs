using Microsoft.Extensions.AI;

namespace Steadfast.AI.Chat;

/// <summary>
/// One request's state across its engine executions (phases): the calls and skips so far, the providers tried, and a pending
/// redirect (a context-window or content-policy error that ends the phase so only the providers its rule allows are tried).
/// Racing attempts write to it at once, hence the lock.
/// </summary>
internal sealed class ChatRequest(IReadOnlyList<ChatMessage> messages, ChatOptions? options, long inputTokens, CancellationToken callerToken)
{
    private readonly Lock _lock = new();
    private readonly List<ChatProviderAttempt> _attempts = [];
    private readonly HashSet<string> _tried = new(StringComparer.Ordinal);
    private List<StreamStart>? _opened;
    private Redirect? _redirect;
    private Replay? _replay;
    private int _calls;

    public IReadOnlyList<ChatMessage> Messages { get; } = messages;

    public ChatOptions? Options { get; } = options;

    public long InputTokens { get; } = inputTokens;

    public CancellationToken CallerToken { get; } = callerToken;

    /// <summary>The current phase's cancellation: cancelled to end the phase on a redirect.</summary>
    public CancellationTokenSource? Phase { get; set; }

    public int Calls
    {
        get
        {
            lock (_lock)
            {
                return _calls;
            }
        }
    }

    public Redirect? PendingRedirect
    {
        get
        {
            lock (_lock)
            {
                return _redirect;
            }
        }
    }

    public void Record(ChatProviderAttempt attempt, bool wasCall)
    {
        lock (_lock)
        {
            _attempts.Add(attempt);
            if (wasCall)
            {
                _calls++;
                _tried.Add(attempt.Provider);
            }
        }
    }

    public bool WasTried(string provider)
    {
        lock (_lock)
        {
            return _tried.Contains(provider);
        }
    }

    /// <summary>Sets the redirect unless one is pending (the first rule wins); returns whether it was set.</summary>
    public bool TrySetRedirect(Redirect redirect)
    {
        lock (_lock)
        {
            if (_redirect is not null)
            {
                return false;
            }

            _redirect = redirect;
            return true;
        }
    }

    /// <summary>Sets the express attempt's failure, to be booked by the engine's first attempt of that provider.</summary>
    public void SetReplay(Replay replay)
    {
        lock (_lock)
        {
            _replay = replay;
        }
    }

    /// <summary>The express attempt's failure of <paramref name="provider"/>, once; <see langword="null"/> for any other attempt.</summary>
    public Exception? TakeReplay(string provider)
    {
        lock (_lock)
        {
            if (_replay is not { } r || !string.Equals(r.Provider, provider, StringComparison.Ordinal))
            {
                return null;
            }

            _replay = null;
            return r.Error;
        }
    }

    public Redirect? TakeRedirect()
    {
        lock (_lock)
        {
            var r = _redirect;
            _redirect = null;
            return r;
        }
    }

    public IReadOnlyList<ChatProviderAttempt> Attempts()
    {
        lock (_lock)
        {
            return _attempts.ToArray();
        }
    }

    public void Opened(StreamStart start)
    {
        lock (_lock)
        {
            (_opened ??= []).Add(start);
        }
    }

    /// <summary>Streams opened by attempts other than <paramref name="winner"/> (a race's losers), to be disposed.</summary>
    public List<StreamStart> OpenedExcept(StreamStart? winner)
    {
        lock (_lock)
        {
            return _opened is null ? [] : _opened.Where(s => !ReferenceEquals(s, winner)).ToList();
        }
    }

    /// <summary>The failure of the express attempt (see <c>ExpressRoute</c>): the engine's first attempt of the provider replays it instead of calling again.</summary>
    public sealed record Replay(string Provider, Exception Error);

    /// <summary>A failure that limits where the request may go next.</summary>
    public sealed record Redirect(ChatErrorKind Kind, ChatProvider From, Exception Error);
}
