using Microsoft.Extensions.Logging;
using Steadfast.Sqlite;
using static Steadfast.Sqlite.SqliteValues;

namespace Steadfast.Caching;

/// <summary>
/// An <see cref="ICacheStore"/> in a Steadfast SQLite file, on the core's SQLite adapter: the file is marked as Steadfast's and a
/// foreign file is refused (<see cref="StoreFailure.Foreign"/>), stores on one file share one database and its group-committed
/// writer, the tables are the versioned module <c>cache</c>, and every failure is a <see cref="StoreException"/>. It may share the
/// file of the learning and circuits.
/// </summary>
public sealed class SqliteCacheStore : ICacheStore
{
    private static readonly SqliteSchemaModule Module = new("cache", """
        CREATE TABLE IF NOT EXISTS steadfast_cache (
            key TEXT NOT NULL PRIMARY KEY,
            namespace TEXT NOT NULL,
            value BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            stale_until INTEGER NOT NULL
        );
        -- purge of a namespace; removal of what outlived its grace period
        CREATE INDEX IF NOT EXISTS ix_steadfast_cache_namespace ON steadfast_cache (namespace);
        CREATE INDEX IF NOT EXISTS ix_steadfast_cache_stale_until ON steadfast_cache (stale_until);
        CREATE TABLE IF NOT EXISTS steadfast_cache_tags (
            tag TEXT NOT NULL,
            key TEXT NOT NULL,
            PRIMARY KEY (tag, key)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_steadfast_cache_tags_key ON steadfast_cache_tags (key);
        CREATE TABLE IF NOT EXISTS steadfast_cache_namespaces (
            namespace TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL
        ) WITHOUT ROWID;
        """);

    private readonly SqliteStoreConnection _connection;

    /// <summary>Creates the store over a SQLite file. Does no I/O: the file is opened (and created) on first use.</summary>
    /// <param name="path">The file; its directory is created when missing.</param>
    /// <param name="loggerFactory">Where migrations are logged; nothing is logged when null.</param>
    public SqliteCacheStore(string path, ILoggerFactory? loggerFactory = null)
        : this(new SqliteStoreOptions { Path = path }, loggerFactory)
    {
    }

    /// <summary>Creates the store over a SQLite file. Does no I/O: the file is opened (and created) on first use.</summary>
    /// <param name="options">The file and its settings; validated and copied.</param>
    /// <param name="loggerFactory">Where migrations are logged; nothing is logged when null.</param>
    public SqliteCacheStore(SqliteStoreOptions options, ILoggerFactory? loggerFactory = null)
        => _connection = new SqliteStoreConnection(options, Module, nameof(SqliteCacheStore), loggerFactory);

    /// <summary>The full path of the file.</summary>
    public string Path => _connection.Path;

    /// <inheritdoc />
    public ValueTask<CacheStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
        => _connection.ReadAsync("read a cache entry", c =>
        {
            using var command = Command(c, "SELECT namespace, value, created_at, expires_at, stale_until FROM steadfast_cache WHERE key = $k;", ("$k", key));
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            var ns = reader.GetString(0);
            var value = reader.GetFieldValue<byte[]>(1);
            var created = FromTicks(reader.GetInt64(2));
            var expires = FromTicks(reader.GetInt64(3));
            var stale = FromTicks(reader.GetInt64(4));
            using var tags = Command(c, "SELECT tag FROM steadfast_cache_tags WHERE key = $k;", ("$k", key));
            using var tagReader = tags.ExecuteReader();
            var list = new List<string>();
            while (tagReader.Read())
            {
                list.Add(tagReader.GetString(0));
            }

            return (CacheStoreEntry?)new CacheStoreEntry(key, ns, value, created, expires, stale, list);
        }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask SetAsync(CacheStoreEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _connection.WriteAsync("write a cache entry", core =>
        {
            core.Execute("""
                INSERT OR REPLACE INTO steadfast_cache (key, namespace, value, created_at, expires_at, stale_until) VALUES ($k, $n, $v, $c, $e, $s);
                DELETE FROM steadfast_cache_tags WHERE key = $k;
                """,
                ("$k", entry.Key), ("$n", entry.Namespace), ("$v", entry.Value), ("$c", Ticks(entry.CreatedAt)), ("$e", Ticks(entry.ExpiresAt)),
                ("$s", Ticks(entry.StaleUntil)));
            foreach (var tag in entry.Tags)
            {
                core.Execute("INSERT OR IGNORE INTO steadfast_cache_tags (tag, key) VALUES ($t, $k);", ("$t", tag), ("$k", entry.Key));
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default)
        => _connection.WriteAsync("remove a cache entry", core =>
        {
            core.Execute("DELETE FROM steadfast_cache_tags WHERE key = $k;", ("$k", key));
            return core.Execute("DELETE FROM steadfast_cache WHERE key = $k;", ("$k", key)) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
        => _connection.WriteAsync("remove cache entries by tag", core =>
        {
            var removed = core.Execute("DELETE FROM steadfast_cache WHERE key IN (SELECT key FROM steadfast_cache_tags WHERE tag = $t);", ("$t", tag));
            core.Execute("DELETE FROM steadfast_cache_tags WHERE key NOT IN (SELECT key FROM steadfast_cache);");
            return removed;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> RemoveNamespaceAsync(string ns, CancellationToken cancellationToken = default)
        => _connection.WriteAsync("purge a cache namespace", core =>
        {
            core.Execute("DELETE FROM steadfast_cache_tags WHERE key IN (SELECT key FROM steadfast_cache WHERE namespace = $n);", ("$n", ns));
            return core.Execute("DELETE FROM steadfast_cache WHERE namespace = $n;", ("$n", ns));
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
        => _connection.WriteAsync("remove expired cache entries", core =>
        {
            core.Execute("DELETE FROM steadfast_cache_tags WHERE key IN (SELECT key FROM steadfast_cache WHERE stale_until <= $t);", ("$t", Ticks(now)));
            return core.Execute("DELETE FROM steadfast_cache WHERE stale_until <= $t;", ("$t", Ticks(now)));
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> GetNamespaceVersionAsync(string ns, CancellationToken cancellationToken = default)
        => _connection.ReadAsync("read a cache namespace version", c =>
        {
            using var command = Command(c, "SELECT version FROM steadfast_cache_namespaces WHERE namespace = $n;", ("$n", ns));
            return command.ExecuteScalar() is long version ? version : 0L;
        }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask SetNamespaceVersionAsync(string ns, long version, CancellationToken cancellationToken = default)
        => await _connection.WriteAsync("write a cache namespace version", core => core.Execute(
            "INSERT OR REPLACE INTO steadfast_cache_namespaces (namespace, version) VALUES ($n, $v);", ("$n", ns), ("$v", version)),
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<CacheStoreSize> GetSizeAsync(CancellationToken cancellationToken = default)
        => _connection.ReadAsync("measure the cache", c =>
        {
            using var command = Command(c, "SELECT COUNT(*), COALESCE(SUM(LENGTH(value)), 0) FROM steadfast_cache;");
            using var reader = command.ExecuteReader();
            reader.Read();
            return new CacheStoreSize(reader.GetInt64(0), reader.GetInt64(1));
        }, cancellationToken);

    /// <summary>Releases the file after the writes already accepted. Idempotent.</summary>
    /// <returns>A task that completes when the file is released.</returns>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
