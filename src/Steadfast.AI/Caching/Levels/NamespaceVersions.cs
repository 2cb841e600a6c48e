using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Steadfast.Caching;

namespace Steadfast.AI.Caching;

/// <summary>
/// The version of each namespace, part of every stored key: a bump makes every older entry unreachable (a miss) at once on every
/// level, without finding them. Kept in memory, loaded on a namespace's first use from L2 and L3 (the larger wins), written to both.
/// </summary>
internal sealed class NamespaceVersions(ICacheStore? disk, IDistributedCache? distributed, string prefix)
{
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);

    // The empty namespace's version (-1 until known), a field so the commonest hit needs no dictionary lookup; only ever raised.
    private long _root = -1;

    public ValueTask<long> GetAsync(string ns, CancellationToken cancellationToken) =>
        _versions.TryGetValue(ns, out var v) ? ValueTask.FromResult(v) : LoadAsync(ns, cancellationToken);

    /// <summary>The namespace's version if it is known already (loaded or bumped here); no I/O, no allocation.</summary>
    public bool TryGetCurrent(string ns, out long version)
    {
        if (ns.Length == 0)
        {
            version = Volatile.Read(ref _root);
            return version >= 0;
        }

        return _versions.TryGetValue(ns, out version);
    }

    public async ValueTask<long> BumpAsync(string ns, CancellationToken cancellationToken)
    {
        var current = await GetAsync(ns, cancellationToken).ConfigureAwait(false);
        var next = Known(ns, _versions.AddOrUpdate(ns, current + 1, (_, v) => Math.Max(v, current) + 1));
        if (disk is not null)
        {
            await disk.SetNamespaceVersionAsync(ns, next, cancellationToken).ConfigureAwait(false);
        }

        if (distributed is not null)
        {
            await distributed.SetAsync(KeyOf(ns), Encoding.UTF8.GetBytes(next.ToString(CultureInfo.InvariantCulture)), new DistributedCacheEntryOptions(), cancellationToken)
                .ConfigureAwait(false);
        }

        return next;
    }

    private async ValueTask<long> LoadAsync(string ns, CancellationToken cancellationToken)
    {
        long version = 0;
        try
        {
            if (disk is not null)
            {
                version = await disk.GetNamespaceVersionAsync(ns, cancellationToken).ConfigureAwait(false);
            }

            if (distributed is not null && await distributed.GetAsync(KeyOf(ns), cancellationToken).ConfigureAwait(false) is { } bytes
                && long.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remote))
            {
                version = Math.Max(version, remote);
            }
        }
#pragma warning disable CA1031 // A level that cannot say leaves the version at what the others said; the lookup goes on.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
        }

        return Known(ns, _versions.GetOrAdd(ns, version));
    }

    /// <summary>Mirrors the empty namespace's version into its field (raising it only: a racing older write never lowers it).</summary>
    private long Known(string ns, long version)
    {
        if (ns.Length == 0)
        {
            var seen = Volatile.Read(ref _root);
            while (version > seen)
            {
                var was = Interlocked.CompareExchange(ref _root, version, seen);
                if (was == seen)
                {
                    break;
                }

                seen = was;
            }
        }

        return version;
    }

    private string KeyOf(string ns) => prefix + "__ns:" + ns;
}
