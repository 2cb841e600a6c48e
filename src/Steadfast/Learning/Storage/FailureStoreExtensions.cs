namespace Steadfast;

/// <summary>Conveniences over <see cref="IFailureStore"/> shaped like the seed's <c>FailureStore</c>.</summary>
public static class FailureStoreExtensions
{
    /// <summary>Saves one failure from its parts; the context is redacted here.</summary>
    /// <param name="store">The store.</param>
    /// <param name="timestamp">When it happened.</param>
    /// <param name="errorType">The exception type name.</param>
    /// <param name="errorMessage">The message.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="context">The context, if any.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>The identifier the store gave it.</returns>
    public static ValueTask<long> SaveFailureAsync(
        this IFailureStore store,
        DateTimeOffset timestamp,
        string errorType,
        string errorMessage,
        string operation,
        IReadOnlyDictionary<string, object?>? context = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(errorType);
        ArgumentNullException.ThrowIfNull(errorMessage);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        var failure = new Failure
        {
            Timestamp = timestamp,
            ErrorType = errorType,
            ErrorMessage = SecretRedactor.RedactText(errorMessage),
            Operation = operation,
            Context = SecretRedactor.RedactContext(context),
        };
        return store.SaveFailureAsync(failure, cancellationToken);
    }
}
