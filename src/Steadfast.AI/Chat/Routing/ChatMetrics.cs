using System.Diagnostics;
using System.Diagnostics.Metrics;
using SteadfastTelemetry = Steadfast.Telemetry.SteadfastTelemetry;

namespace Steadfast.AI.Chat;

/// <summary>
/// The chat client's instruments on the <c>Steadfast</c> meter, tagged <c>steadfast.provider</c>: requests (with their outcome),
/// failovers (with the failure's kind), tokens (input and output) and cost; and one span per provider call.
/// </summary>
internal static class ChatMetrics
{
    public const string ProviderTag = "steadfast.provider";

    private static readonly Counter<long> Requests = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.chat.requests", "{request}", "Chat requests answered by a provider, degraded or failed.");

    private static readonly Counter<long> Failovers = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.chat.failovers", "{failover}", "Provider calls that failed, so the request moved on.");

    private static readonly Counter<long> Tokens = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.chat.tokens", "{token}", "Tokens used per provider, by direction (input, output).");

    private static readonly Counter<double> Cost = SteadfastTelemetry.Meter.CreateCounter<double>(
        "steadfast.chat.cost", "{currency}", "Cost of answered calls per provider: usage times the provider's prices.");

    public static void Request(string? provider, string outcome)
    {
        if (Requests.Enabled)
        {
            Requests.Add(1, new(ProviderTag, provider ?? "none"), new("steadfast.outcome", outcome));
        }
    }

    public static void Failover(string provider, ChatErrorKind kind)
    {
        if (Failovers.Enabled)
        {
            Failovers.Add(1, new(ProviderTag, provider), new("steadfast.error_kind", kind.ToString()));
        }
    }

    public static void Usage(string provider, long input, long output, decimal cost)
    {
        if (Tokens.Enabled)
        {
            Tokens.Add(input, new(ProviderTag, provider), new("steadfast.direction", "input"));
            Tokens.Add(output, new(ProviderTag, provider), new("steadfast.direction", "output"));
        }

        if (Cost.Enabled)
        {
            Cost.Add((double)cost, new KeyValuePair<string, object?>(ProviderTag, provider));
        }
    }

    /// <summary>Starts the span of one provider call (null when nobody listens).</summary>
    public static Activity? StartAttempt(string provider, string? model, bool streaming)
    {
        var activity = SteadfastTelemetry.ActivitySource.StartActivity("steadfast.chat.attempt", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag(ProviderTag, provider);
            activity.SetTag("gen_ai.request.model", model);
            activity.SetTag("steadfast.streaming", streaming);
        }

        return activity;
    }
}
