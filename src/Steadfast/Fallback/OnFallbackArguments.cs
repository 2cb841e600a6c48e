namespace Steadfast;

/// <summary>What <see cref="FallbackOptions.OnFallback"/> receives just before the fallback runs.</summary>
/// <param name="Name">The fallback policy's (or executor's) name.</param>
/// <param name="Exception">The failure the fallback replaces.</param>
public readonly record struct OnFallbackArguments(string Name, Exception Exception);
