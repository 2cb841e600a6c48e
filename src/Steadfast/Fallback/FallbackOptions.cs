namespace Steadfast;

/// <summary>When a <see cref="FallbackPolicy{T}"/> (or an executor's per-call fallback) replaces a failure, and who hears of it.</summary>
/// <remarks>
/// The fallback itself is not an option: <see cref="FallbackPolicy{T}"/> takes it as a required constructor argument and
/// <see cref="ResilientExecutor"/> takes one per call, so one non-generic options type serves both. A policy copies the
/// options when it is built; later changes do not affect it.
/// </remarks>
public sealed class FallbackOptions
{
    /// <summary>Which failures the fallback replaces. The caller's cancellation is never replaced.</summary>
    /// <value>The default is <see langword="null"/>: every failure.</value>
    public Func<Exception, bool>? ShouldHandle { get; set; }

    /// <summary>Called before the fallback runs; an exception it throws is logged and ignored.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Action<OnFallbackArguments>? OnFallback { get; set; }

    /// <summary>
    /// Throws when an option is invalid. Every value is valid today (both members are optional); it exists so every
    /// options type is checked the same way, and so a rule added later reaches every caller that already calls it.
    /// </summary>
#pragma warning disable CA1822 // an instance member like every options type's Validate(); rules added later will read the instance
    public void Validate()
    {
    }
#pragma warning restore CA1822

    /// <summary>Returns a copy, so changing one object never changes the other.</summary>
    /// <returns>The copy.</returns>
    public FallbackOptions Clone() => new()
    {
        ShouldHandle = ShouldHandle,
        OnFallback = OnFallback,
    };
}
