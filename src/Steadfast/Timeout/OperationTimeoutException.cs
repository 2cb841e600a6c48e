namespace Steadfast;

/// <summary>Thrown when an operation ran past the timeout a <see cref="TimeoutPolicy"/> (or an executor) gave it.</summary>
/// <remarks>
/// Derives from <see cref="TimeoutException"/>, not <see cref="ExecutionRejectedException"/>: the operation did run (and
/// may have had effects), so it is not a rejection, and <c>catch (TimeoutException)</c> or
/// <c>RetryOptions.RetryOn = { typeof(TimeoutException) }</c> keep treating it as the timeout it is.
/// </remarks>
public class OperationTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with a default message.</summary>
    public OperationTimeoutException()
        : this("The operation timed out.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public OperationTimeoutException(string message)
        : base(message)
    {
        OperationName = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public OperationTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
        OperationName = string.Empty;
    }

    /// <summary>Creates the exception for a named operation.</summary>
    /// <param name="operationName">The policy's or executor's name.</param>
    /// <param name="timeout">The timeout that elapsed.</param>
    /// <param name="innerException">The cause (Polly's rejection), if any.</param>
    public OperationTimeoutException(string operationName, TimeSpan timeout, Exception? innerException = null)
        : base($"Operation '{operationName}' did not finish within {timeout.TotalSeconds:0.###} s and was cancelled; raise TimeoutOptions.Timeout if it needs longer.", innerException)
    {
        OperationName = operationName;
        Timeout = timeout;
    }

    /// <summary>The name of the policy or executor whose timeout elapsed.</summary>
    public string OperationName { get; }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}
