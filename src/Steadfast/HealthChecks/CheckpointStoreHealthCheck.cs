using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.HealthChecks;

/// <summary>The durable checkpoint store: a cheap read; a store failure is the registration's failure status with the store's message.</summary>
internal sealed class CheckpointStoreHealthCheck(ICheckpointStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            _ = await store.GetWorkflowAsync("steadfast-health-probe", cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("the checkpoint store answers");
        }
        catch (StoreException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"the checkpoint store fails ({ex.Failure}): {ex.Message}", ex);
        }
    }
}
