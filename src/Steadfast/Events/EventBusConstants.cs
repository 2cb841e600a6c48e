namespace Steadfast;

/// <summary>The defaults and limits of the in-process event bus.</summary>
internal static class EventBusConstants
{
    public const int DefaultCapacity = 1024;
    public const int MaxCapacity = 1_000_000;
}
