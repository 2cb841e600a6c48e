using Microsoft.Extensions.Logging;

namespace Steadfast;

/// <summary>
/// The user's extension points of one engine: the <see cref="ResilienceEngine.Progress"/> and <see cref="ResilienceEngine.Escalated"/>
/// subscribers, the creative solver and the intervention handler. The engine's public members delegate here, so the collaborators
/// that raise events and ask the handlers do not need the engine itself.
/// </summary>
internal sealed class EngineHooks(object sender, ILogger logger)
{
    private readonly Lock _lock = new();
    private EventHandler<ResilienceProgressEventArgs>? _progress;
    private EventHandler<EscalationEventArgs>? _escalated;
    private ICreativeSolver? _creativeSolver;
    private IInterventionHandler? _interventionHandler;

    public ICreativeSolver? CreativeSolver
    {
        get => Volatile.Read(ref _creativeSolver);
        set => Volatile.Write(ref _creativeSolver, value);
    }

    public IInterventionHandler? InterventionHandler
    {
        get => Volatile.Read(ref _interventionHandler);
        set => Volatile.Write(ref _interventionHandler, value);
    }

    public bool HasProgressSubscribers => Volatile.Read(ref _progress) is not null;

    public void AddProgress(EventHandler<ResilienceProgressEventArgs>? handler)
    {
        lock (_lock)
        {
            _progress += handler;
        }
    }

    public void RemoveProgress(EventHandler<ResilienceProgressEventArgs>? handler)
    {
        lock (_lock)
        {
            _progress -= handler;
        }
    }

    public void AddEscalated(EventHandler<EscalationEventArgs>? handler)
    {
        lock (_lock)
        {
            _escalated += handler;
        }
    }

    public void RemoveEscalated(EventHandler<EscalationEventArgs>? handler)
    {
        lock (_lock)
        {
            _escalated -= handler;
        }
    }

    public bool HasEscalatedSubscribers => Volatile.Read(ref _escalated) is not null;

    /// <summary>Raises <see cref="ResilienceEngine.Progress"/>; a subscriber's exception is logged and the others still run.</summary>
    public void RaiseProgress(ResilienceProgressEventArgs args) =>
        Subscribers.Raise(Volatile.Read(ref _progress), sender, args, logger, ResilienceConstants.ProgressEventName);

    /// <summary>Raises <see cref="ResilienceEngine.Escalated"/>; a subscriber's exception is logged and the others still run.</summary>
    public void RaiseEscalated(EscalationEventArgs args) =>
        Subscribers.Raise(Volatile.Read(ref _escalated), sender, args, logger, ResilienceConstants.EscalatedEventName);
}
