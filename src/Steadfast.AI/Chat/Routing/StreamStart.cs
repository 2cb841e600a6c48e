using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Steadfast.AI.Chat;

/// <summary>
/// A provider's stream that produced its first update: the engine's success for streaming (failover ends here). Owns the
/// enumerator, the bulkhead lease, the stream's cancellation source and the attempt's span until disposed.
/// </summary>
internal sealed class StreamStart(ProviderRuntime provider, IAsyncEnumerator<ChatResponseUpdate> enumerator, ChatResponseUpdate? first,
    ProviderLimiter.Lease lease, CancellationTokenSource streamCancellation, Activity? activity) : IAsyncDisposable
{
    private int _disposed;

    public ProviderRuntime Provider { get; } = provider;

    public IAsyncEnumerator<ChatResponseUpdate> Enumerator { get; } = enumerator;

    /// <summary>The first update; <see langword="null"/> when the stream ended without any.</summary>
    public ChatResponseUpdate? First { get; } = first;

    public Activity? Activity { get; } = activity;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await Enumerator.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            lease.Dispose();
            streamCancellation.Dispose();
            Activity?.Dispose();
        }
    }
}
