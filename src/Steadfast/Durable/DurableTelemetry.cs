using System.Diagnostics.Metrics;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>The instruments of durable execution, on <see cref="SteadfastTelemetry.Meter"/>.</summary>
internal static class DurableTelemetry
{
    public static readonly Counter<long> CheckpointsSaved = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.checkpoint.saved", description: "Checkpoints written.");

    public static readonly Counter<long> CheckpointsSkipped = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.checkpoint.skipped", description: "Stored checkpoints or step results skipped as corrupt or of an unknown format.");

    public static readonly Counter<long> CheckpointsRefused = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.checkpoint.refused", description: "States refused for being over the size limit.");

    public static readonly Counter<long> WorkflowSteps = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.workflow.steps", description: "Workflow steps, tagged outcome=executed|replayed.");

    public static readonly Counter<long> QueueEnqueued = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.queue.enqueued", description: "Items enqueued.");

    public static readonly Counter<long> QueueDeliveries = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.queue.deliveries", description: "Deliveries, tagged outcome=completed|failed|dead_lettered|lease_lost.");

    /// <summary>The outcome tags of <see cref="QueueDeliveries"/>.</summary>
    public static readonly KeyValuePair<string, object?> QueueCompleted = new("outcome", "completed");

    /// <inheritdoc cref="QueueCompleted"/>
    public static readonly KeyValuePair<string, object?> QueueFailed = new("outcome", "failed");

    /// <inheritdoc cref="QueueCompleted"/>
    public static readonly KeyValuePair<string, object?> QueueDeadLettered = new("outcome", "dead_lettered");

    /// <inheritdoc cref="QueueCompleted"/>
    public static readonly KeyValuePair<string, object?> QueueLeaseLost = new("outcome", "lease_lost");
}
