namespace Steadfast;

/// <summary>
/// Stands in a log record for an exception whose message (or an inner exception's) holds a secret: its message and its
/// text (<see cref="ToString"/>: the original type, message and stack trace, inner exceptions included) are the
/// original's, redacted. Exceptions with nothing secret are logged as they are.
/// </summary>
#pragma warning disable CA1032, CA1064 // Never thrown nor caught: it only stands in for an exception in a log record.
internal sealed class RedactedException : Exception
#pragma warning restore CA1032, CA1064
{
    private readonly Exception _original;
    private string? _text;

    private RedactedException(Exception original)
        : base(SecretRedactor.RedactUnbounded(original.Message))
    {
        _original = original;
        HResult = original.HResult;
        Source = original.Source;
    }

    /// <summary>The full name of the exception's type, which the record would otherwise have shown.</summary>
    public string OriginalType => _original.GetType().FullName ?? _original.GetType().Name;

    /// <inheritdoc />
    public override string? StackTrace => _original.StackTrace;

    /// <summary>The exception to log for <paramref name="exception"/>: itself when no message in it holds a secret.</summary>
    public static Exception? For(Exception? exception)
        => exception is null or RedactedException || !HoldsSecret(exception, depth: 0) ? exception : new RedactedException(exception);

    /// <inheritdoc />
    public override string ToString() => _text ??= SecretRedactor.RedactUnbounded(_original.ToString());

    private static bool HoldsSecret(Exception exception, int depth)
    {
        if (depth > 8)
        {
            return true; // a chain this deep is not worth walking: redact the whole text rather than guess
        }

        var message = exception.Message; // some exceptions build their message anew on each read: read it once
        if (!ReferenceEquals(SecretRedactor.RedactUnbounded(message), message))
        {
            return true;
        }

        if (exception is AggregateException aggregate)
        {
            foreach (var inner in aggregate.InnerExceptions)
            {
                if (HoldsSecret(inner, depth + 1))
                {
                    return true;
                }
            }

            return false;
        }

        return exception.InnerException is { } next && HoldsSecret(next, depth + 1);
    }
}
