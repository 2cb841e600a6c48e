using Microsoft.Extensions.Logging;

namespace Steadfast.Composition;

/// <summary>
/// The one place that picks the embedded default stores (SQLite, in <c>Sqlite/</c>) when a feature is asked to persist
/// without being given a store: <c>new FailureAnalyzer(enablePersistence: true)</c>,
/// <c>ResilienceOptions.EnablePersistence</c>. Features call this; no feature names an adapter. Dependency injection
/// picks stores its own way (<c>UseSqlite</c>, <c>UseRedis</c>).
/// </summary>
internal static class DefaultStores
{
    /// <summary>The learning store in <paramref name="path"/>, or in <see cref="SqliteStoreOptions.DefaultPath"/> when null.</summary>
    public static IFailureStore CreateFailureStore(string? path, TimeProvider? timeProvider, ILoggerFactory? loggerFactory)
        => new SqliteFailureStore(path ?? SqliteStoreOptions.DefaultPath, timeProvider, loggerFactory);

    /// <summary>The circuit store in <paramref name="path"/> (the learning's file), or in <see cref="SqliteStoreOptions.DefaultPath"/> when null.</summary>
    public static ICircuitStateStore CreateCircuitStateStore(string? path, ILoggerFactory? loggerFactory)
        => new SqliteCircuitStateStore(path ?? SqliteStoreOptions.DefaultPath, loggerFactory);
}
