namespace Steadfast.AI.Chat;

/// <summary>What routing a request came to: a provider's value, or every provider unavailable with the last failure.</summary>
internal readonly record struct Routed<T>(T? Value, ProviderRuntime? Provider, Exception? Error)
{
    public bool Success => Provider is not null;
}
