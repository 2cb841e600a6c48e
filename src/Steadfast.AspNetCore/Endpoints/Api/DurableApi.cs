using Microsoft.AspNetCore.Http;
using Steadfast.AspNetCore.Endpoints.Json;

namespace Steadfast.AspNetCore.Endpoints.Api;

/// <summary><c>GET queues</c> and <c>GET workflows</c>.</summary>
internal sealed class DurableApi(SteadfastSources sources)
{
    /// <summary>How many dead letters each queue shows (the newest).</summary>
    public const int DeadLettersShown = 10;

    /// <summary>How many workflows <c>GET workflows</c> lists at most (the most recently updated).</summary>
    public const int MaxWorkflows = 200;

    public async Task<IResult> QueuesAsync(CancellationToken cancellationToken)
    {
        var queues = new List<QueueView>(sources.Options.QueueNames.Count);
        foreach (var name in sources.Options.QueueNames)
        {
            queues.Add(await QueueAsync(name, cancellationToken).ConfigureAwait(false));
        }

        return TypedResults.Json<IReadOnlyList<QueueView>>(queues, SteadfastWebJsonContext.Default.IReadOnlyListQueueView);
    }

    public async Task<IResult> WorkflowsAsync(CancellationToken cancellationToken)
    {
        if (sources.Workflows is not { } runner)
        {
            return TypedResults.Json<IReadOnlyList<WorkflowView>>([], SteadfastWebJsonContext.Default.IReadOnlyListWorkflowView);
        }

        try
        {
            var workflows = (await runner.ListWorkflowsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
                .OrderByDescending(w => w.UpdatedAt)
                .Take(MaxWorkflows);
            var views = new List<WorkflowView>();
            foreach (var w in workflows)
            {
                var checkpoints = sources.Checkpoints is { } store
                    ? await store.ListCheckpointsAsync(w.WorkflowId, cancellationToken).ConfigureAwait(false)
                    : [];
                views.Add(new WorkflowView(
                    w.WorkflowId, w.Status, w.CreatedAt, w.UpdatedAt, w.RunCount, w.CompletedSteps, Redact.Text(w.Error),
                    checkpoints.Count, checkpoints.Count == 0 ? null : checkpoints.Max(c => c.CreatedAt)));
            }

            return TypedResults.Json<IReadOnlyList<WorkflowView>>(views, SteadfastWebJsonContext.Default.IReadOnlyListWorkflowView);
        }
        catch (StoreException ex)
        {
            return Problems.Unavailable("The checkpoint store", ex);
        }
    }

    private async Task<QueueView> QueueAsync(string name, CancellationToken cancellationToken)
    {
        if (sources.QueueStore(name) is not { } store)
        {
            return new QueueView(name, 0, 0, 0, 0, [], "No queue store is registered under this name.");
        }

        try
        {
            var stats = await store.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            var dead = await store.GetDeadLettersAsync(DeadLettersShown, cancellationToken).ConfigureAwait(false);
            return new QueueView(
                name, stats.Pending, stats.InFlight, stats.Completed, stats.DeadLettered,
                [.. dead.Select(d => new DeadLetterView(d.ItemId, d.Priority, d.Attempts, Redact.Text(d.LastError), d.EnqueuedAt, d.DeadLetteredAt))],
                null);
        }
        catch (StoreException ex)
        {
            // One unreachable queue store must not hide the others.
            return new QueueView(name, 0, 0, 0, 0, [], Redact.Text(ex.Message));
        }
    }
}
