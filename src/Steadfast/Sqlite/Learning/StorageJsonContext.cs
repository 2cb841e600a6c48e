using System.Text.Json.Serialization;

namespace Steadfast.Sqlite;

/// <summary>Source-generated JSON for stored context: no reflection on the write path.</summary>
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string?>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
