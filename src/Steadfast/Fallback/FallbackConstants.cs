namespace Steadfast;

/// <summary>Defaults of the fallback primitive, written once.</summary>
public static class FallbackConstants
{
    /// <summary>The name a policy gets when none is given.</summary>
    public const string DefaultName = "fallback";

    /// <summary>The event name under which a throwing <see cref="FallbackOptions.OnFallback"/> subscriber is logged.</summary>
    public const string OnFallbackEvent = "OnFallback";
}
