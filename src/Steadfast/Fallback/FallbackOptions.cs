namespace Steadfast;

/// <summary>When a <see cref="FallbackPolicy{T}"/> replaces a failure with its fallback.</summary>
public sealed class FallbackOptions
{
    /// <summary>Which failures the fallback replaces. The caller's cancellation is never replaced.</summary>
    /// <value>The default is <see langword="null"/>: every failure.</value>
    public Func<Exception, bool>? ShouldHandle { get; set; }

    /// <summary>Called before the fallback runs; an exception it throws is logged and ignored.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Action<FallbackArguments>? OnFallback { get; set; }
}
