using System.Text.Json.Serialization;

namespace Steadfast;

/// <summary>
/// Source-generated JSON for the file store's own records, so the store needs no reflection (trimmed and native AOT
/// apps). Its settings are System.Text.Json's defaults, the ones the store wrote with before: old files read the same.
/// </summary>
[JsonSerializable(typeof(WorkflowInfo))]
[JsonSerializable(typeof(FileCheckpointStore.FileHeader))]
internal sealed partial class FileCheckpointJsonContext : JsonSerializerContext
{
}
