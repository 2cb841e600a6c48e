using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Asks the shared <see cref="ICircuitProbeGate"/> for the permit of a probe one circuit admitted locally, and keeps
/// serving when the gate cannot answer: the probe then goes by the local limit alone (as without a gate), and the trouble
/// is logged. A refusal gives the local admission back, so the circuit stays half-open for the probes of other machines.
/// </summary>
internal sealed class SharedProbeAdmission(ICircuitProbeGate gate, string circuitName, int maxProbes, CircuitStateMachine machine, CircuitBreakerTelemetry telemetry)
{
    /// <returns><see langword="null"/> when the probe may go; otherwise the rejection.</returns>
    public async ValueTask<CircuitOpenException?> ConfirmAsync(CircuitProbe probe, CancellationToken cancellationToken)
    {
        bool admitted;
        try
        {
            admitted = await gate.TryAdmitProbeAsync(circuitName, probe.Generation, maxProbes, probe.RoundDuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            machine.ReleaseProbe();
            throw;
        }
#pragma warning disable CA1031 // A shared store's trouble never stops a machine's calls: fall back to the local limit, and say so.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.CircuitProbeGateUnavailable(telemetry.Logger, circuitName, gate.GetType().Name, ex);
            admitted = true;
        }

        if (admitted)
        {
            return null;
        }

        var refusal = machine.RefuseProbe(probe);
        telemetry.CountRejection(refusal.State);
        return new CircuitOpenException(circuitName, refusal.State, refusal.RetryAfter, refusal.LastError);
    }
}
