using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.HealthChecks;

/// <summary>The learning store: Degraded while the analyzer cannot persist (it goes on in memory and retries the store).</summary>
internal sealed class LearningHealthCheck(FailureAnalyzer analyzer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(analyzer.PersistenceHealthy
            ? HealthCheckResult.Healthy("learning persistence works")
            : HealthCheckResult.Degraded("the failure store cannot be used; learning continues in memory and the store is retried"));
}
