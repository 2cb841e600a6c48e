using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.HealthChecks;

/// <summary>A durable queue: Degraded when its backlog or its dead letters reach their thresholds; a store failure is the failure status.</summary>
internal sealed class QueueHealthCheck(IQueueStore store, SteadfastHealthCheckOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        QueueStats stats;
        try
        {
            stats = await store.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"the queue store fails ({ex.Failure}): {ex.Message}", ex);
        }

        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["pending"] = stats.Pending,
            ["in_flight"] = stats.InFlight,
            ["dead_lettered"] = stats.DeadLettered,
        };
        var problems = new List<string>(2);
        if (stats.Active >= options.QueueBacklogThreshold)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"backlog {stats.Active} (threshold {options.QueueBacklogThreshold})"));
        }

        if (stats.DeadLettered >= options.DeadLetterThreshold)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{stats.DeadLettered} dead letters (threshold {options.DeadLetterThreshold})"));
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"{stats.Active} active, {stats.DeadLettered} dead letters"), data)
            : HealthCheckResult.Degraded(string.Join("; ", problems), data: data);
    }
}
