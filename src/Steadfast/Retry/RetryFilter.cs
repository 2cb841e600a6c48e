namespace Steadfast;

/// <summary>Decides which failures a retry policy retries; the rules are documented on <see cref="RetryOptions"/>.</summary>
internal sealed class RetryFilter
{
    private readonly Type[] _retryOn;
    private readonly Type[] _dontRetryOn;
    private readonly Func<Exception, bool>? _shouldHandle;

    public RetryFilter(RetryOptions options)
    {
        _retryOn = [.. options.RetryOn];
        _dontRetryOn = [.. options.DontRetryOn];
        _shouldHandle = options.ShouldHandle;
    }

    public bool ShouldHandle(Exception exception, CancellationToken callerToken)
    {
        if (exception is OperationCanceledException && callerToken.IsCancellationRequested)
        {
            return false;
        }

        if (Matches(_dontRetryOn, exception))
        {
            return false;
        }

        if (_retryOn.Length > 0 && !Matches(_retryOn, exception))
        {
            return false;
        }

        if (_shouldHandle is not null)
        {
            return _shouldHandle(exception);
        }

        return _retryOn.Length > 0 || ErrorClassifier.IsTransient(exception);
    }

    private static bool Matches(Type[] types, Exception exception)
    {
        var type = exception.GetType();
        foreach (var candidate in types)
        {
            if (candidate.IsAssignableFrom(type))
            {
                return true;
            }
        }

        return false;
    }
}
