namespace Steadfast.Testing;

/// <summary>Test shorthands for <see cref="IFailureStore"/> reads, whose interface methods take every argument explicitly.</summary>
public static class FailureStoreTestExtensions
{
    public static ValueTask<IReadOnlyList<Failure>> GetFailuresAsync(this IFailureStore store, string? operation = null, string? errorType = null,
        DateTimeOffset? since = null, int limit = 1000)
        => store.GetFailuresAsync(operation, errorType, since, limit, CancellationToken.None);

    public static ValueTask<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(this IFailureStore store)
        => store.GetBlacklistAsync(includeExpired: false, CancellationToken.None);

    public static ValueTask<int> CleanupOldFailuresAsync(this IFailureStore store)
        => store.CleanupOldFailuresAsync(30, CancellationToken.None);
}
