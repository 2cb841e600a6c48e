namespace Steadfast;

/// <summary>Decides whether an exception counts against a circuit: the caller's cancellation never does; then <c>ShouldHandle</c>.</summary>
internal static class HandledFailures
{
    /// <param name="shouldHandle">The circuit's predicate; <see langword="null"/> handles every exception.</param>
    /// <param name="exception">What the call threw.</param>
    /// <param name="telemetry">Where a predicate that throws is reported.</param>
    /// <param name="cancellationToken">The caller's token, to tell its cancellation from a failure.</param>
    /// <returns><see langword="true"/> when the exception counts as a failure.</returns>
    public static bool IsHandled(Func<Exception, bool>? shouldHandle, Exception exception, CircuitBreakerTelemetry telemetry, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (shouldHandle is null)
        {
            return true;
        }

        try
        {
            return shouldHandle(exception);
        }
#pragma warning disable CA1031 // A faulty predicate must not replace the operation's exception; count it and log.
        catch (Exception predicateError)
#pragma warning restore CA1031
        {
            telemetry.ReportPredicateFailure(predicateError);
            return true;
        }
    }
}
