namespace Steadfast;

/// <summary>
/// Implemented by an <see cref="ICircuitStateStore"/> that several processes share (the Redis store): it bounds the probes
/// of a half-open circuit across every process, so a recovering service receives at most
/// <see cref="CircuitBreakerOptions.HalfOpenMaxCalls"/> probes per round in total rather than that many from each machine.
/// </summary>
/// <remarks>
/// <para>
/// The <see cref="CircuitBreakerRegistry"/> hands the gate to every circuit it creates. A circuit asks it only when it
/// would admit a half-open probe, after admitting it locally: a closed circuit never asks, and no call ever holds a
/// distributed lock; successes and failures are still counted by each process alone. The ask happens on the asynchronous
/// admissions (<see cref="CircuitBreaker.TryAcquireAsync"/>, the <c>ExecuteAsync</c> methods, the pipeline strategy and
/// the engine); the synchronous <see cref="CircuitBreaker.TryAcquire"/> admits probes locally.
/// </para>
/// <para>
/// A gate that cannot answer throws: the circuit then admits the probe locally, so every machine keeps serving, and logs
/// the failure. Permits are not given back when a probe ends; the next round has fresh ones.
/// </para>
/// </remarks>
public interface ICircuitProbeGate
{
    /// <summary>Takes one of the round's cluster-wide probe permits, when one is left.</summary>
    /// <param name="circuitName">The circuit's name.</param>
    /// <param name="generation">
    /// The probe round: a number every process that shares the circuit's opening (through the store's snapshots) derives
    /// alike, and that changes with each new round (it is the round's start in UTC ticks). Permits of another round do not count.
    /// </param>
    /// <param name="maxProbes">The round's permits in total (<see cref="CircuitBreakerOptions.HalfOpenMaxCalls"/>).</param>
    /// <param name="roundDuration">How long the round lasts at most (the current cooldown): the permits may be forgotten after it.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    /// <returns><see langword="true"/> when a permit was taken; <see langword="false"/> when the round's permits are gone.</returns>
    ValueTask<bool> TryAdmitProbeAsync(string circuitName, long generation, int maxProbes, TimeSpan roundDuration, CancellationToken cancellationToken = default);
}
