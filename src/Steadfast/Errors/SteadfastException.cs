namespace Steadfast;

/// <summary>
/// Base type of every exception Steadfast throws on its own behalf (rejections, budget and store errors),
/// so callers can tell "Steadfast refused or failed" apart from "my operation threw".
/// </summary>
/// <remarks>
/// One exception is deliberately not: a timeout derives from <see cref="TimeoutException"/>, because the operation did
/// run and .NET code already handles timeouts by that type. Calls refused without running derive from
/// <see cref="ExecutionRejectedException"/>.
/// </remarks>
public class SteadfastException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public SteadfastException()
        : base("A Steadfast resilience operation failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and, where possible, what to do about it.</param>
    public SteadfastException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong and, where possible, what to do about it.</param>
    /// <param name="innerException">The cause.</param>
    public SteadfastException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
