using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>Invokes user callbacks and event handlers so that a throwing subscriber never breaks an execution.</summary>
internal static class Subscribers
{
    public static void Invoke<T>(Action<T>? callback, T args, ILogger logger, string eventName)
    {
        if (callback is null)
        {
            return;
        }

        // Each subscriber separately, so one that throws does not starve the ones after it.
        foreach (var subscriber in callback.GetInvocationList())
        {
            try
            {
                ((Action<T>)subscriber)(args);
            }
#pragma warning disable CA1031 // A subscriber's failure is logged, never propagated: that is the contract.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.SubscriberFailed(logger, eventName, ex);
            }
        }
    }

    public static void Raise<T>(EventHandler<T>? handler, object sender, T args, ILogger logger, string eventName)
    {
        if (handler is null)
        {
            return;
        }

        foreach (var subscriber in handler.GetInvocationList())
        {
            try
            {
                ((EventHandler<T>)subscriber)(sender, args);
            }
#pragma warning disable CA1031 // A subscriber's failure is logged, never propagated: that is the contract.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.SubscriberFailed(logger, eventName, ex);
            }
        }
    }
}
