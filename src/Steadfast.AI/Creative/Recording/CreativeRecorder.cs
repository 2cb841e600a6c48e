using Microsoft.Extensions.Logging;

namespace Steadfast.AI.Creative;

/// <summary>
/// Where every step of the solver goes: redacted, kept in a bounded history, logged, and published on the event bus
/// (fire-and-forget: a bus that fails or is full never breaks the execution).
/// </summary>
internal sealed class CreativeRecorder(int maxHistory, IEventBus? eventBus, TimeProvider time, ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly Queue<CreativeSolverEvent> _history = new();

    public IReadOnlyList<CreativeSolverEvent> Snapshot()
    {
        lock (_lock)
        {
            return [.. _history];
        }
    }

    /// <summary>Records one step; the texts are redacted here, so no caller can forget it.</summary>
    public CreativeSolverEvent Record(CreativeEventKind kind, string operation, string? strategy = null, string? tool = null,
        string? arguments = null, string? rationale = null, string? reason = null)
    {
        var e = new CreativeSolverEvent(kind, operation, time.GetUtcNow())
        {
            StrategyName = strategy,
            Tool = tool,
            Arguments = Redact(arguments),
            Rationale = Redact(rationale),
            Reason = Redact(reason),
        };

        if (maxHistory > 0)
        {
            lock (_lock)
            {
                _history.Enqueue(e);
                while (_history.Count > maxHistory)
                {
                    _history.Dequeue();
                }
            }
        }

        Log.CreativeEvent(logger, operation, kind, strategy, e.Reason);
        Publish(e);
        return e;
    }

    private static string? Redact(string? text) => text is null ? null : SecretRedactor.RedactText(text);

    private void Publish(CreativeSolverEvent e)
    {
        if (eventBus is null)
        {
            return;
        }

        try
        {
            var pending = eventBus.PublishAsync(e);
            if (!pending.IsCompletedSuccessfully)
            {
                _ = ObserveAsync(pending);
            }
        }
#pragma warning disable CA1031 // A failing bus never breaks the execution; the event stays in the history.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.CreativePublishFailed(logger, ex);
        }
    }

    private async Task ObserveAsync(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // As above: observed and logged, never thrown.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.CreativePublishFailed(logger, ex);
        }
    }
}
