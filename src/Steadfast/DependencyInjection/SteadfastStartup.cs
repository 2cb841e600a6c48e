using Microsoft.Extensions.Hosting;
using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// At host start, before the application takes requests: restores the circuits from the registry's store (a circuit open
/// before the restart stays open for the rest of its cooldown) and lets the engine load what the analyzer learned before.
/// Neither ever fails because of a store (they log and go on in memory); the host's token cancels the wait.
/// </summary>
internal sealed class SteadfastStartup(CircuitBreakerRegistry circuitBreakers, ResilienceEngine engine) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await circuitBreakers.RestoreAsync(cancellationToken).ConfigureAwait(false);
        await engine.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
    }

    // The container flushes and closes everything when it is disposed, after every hosted service has stopped.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
