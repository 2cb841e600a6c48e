namespace Steadfast.Testing;

public static class QueueStoreTestExtensions
{
    public static async Task<QueueLease?> ClaimOneAsync(this IQueueStore store, DateTimeOffset now, TimeSpan lease, int maxAttempts)
        => (await store.TryClaimAsync(now, lease, maxAttempts, 1)).SingleOrDefault();
}
