namespace Steadfast;

/// <summary>Defaults of the fallback primitive, written once (internal: a public <c>const</c> would compile into callers).</summary>
internal static class FallbackConstants
{
    /// <summary>The name a policy gets when none is given.</summary>
    public const string DefaultName = "fallback";

    /// <summary>The event name under which a throwing <see cref="FallbackOptions.OnFallback"/> subscriber is logged.</summary>
    public const string OnFallbackEvent = "OnFallback";
}
