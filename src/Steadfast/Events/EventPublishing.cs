using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Publishes an event from code that must not wait for the bus (an event handler, a state change): the publish runs
/// detached and a bus that throws is logged, never propagated to the part that raised the event.
/// </summary>
internal static class EventPublishing
{
    public static void Fire<TEvent>(IEventBus? bus, TEvent @event, ILogger logger)
        where TEvent : class
    {
        if (bus is null)
        {
            return;
        }

        ValueTask pending;
        try
        {
            pending = bus.PublishAsync(@event);
        }
#pragma warning disable CA1031 // A bus that fails must not break the part that raised the event: logged, ignored.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.EventPublishFailed(logger, typeof(TEvent).Name, ex);
            return;
        }

        if (!pending.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(pending, typeof(TEvent).Name, logger);
        }
    }

    /// <summary>Publishes fire-and-forget and awaits the queueing; a bus that throws is logged, never propagated.</summary>
    public static async ValueTask PublishAsync<TEvent>(IEventBus? bus, TEvent @event, ILogger logger, CancellationToken cancellationToken)
        where TEvent : class
    {
        if (bus is null)
        {
            return;
        }

        try
        {
            await bus.PublishAsync(@event, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A bus that fails must not break the part that raised the event: logged, ignored.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.EventPublishFailed(logger, typeof(TEvent).Name, ex);
        }
    }

    private static async Task ObserveAsync(ValueTask pending, string eventName, ILogger logger)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Detached publish: nobody awaits it, so its failure is logged here.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.EventPublishFailed(logger, eventName, ex);
        }
    }
}
