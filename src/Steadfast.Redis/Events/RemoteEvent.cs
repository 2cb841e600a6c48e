using System.Text.Json;

namespace Steadfast.Redis.Events;

/// <summary>
/// An event as it travels between machines: the format version, the publishing bus, the event's type (its full name, the
/// discriminator) with the names of its base types (a subscriber to a base type receives it too) and the event as JSON.
/// </summary>
internal sealed record RemoteEvent(int V, string Origin, string Type, string[] Types, JsonElement Data);
