using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Runs an options type's own <c>Validate()</c> under the options framework, so <c>ValidateOnStart</c> (and the first
/// <c>IOptions&lt;T&gt;.Value</c>) fails with the same message as the constructor that takes the options would, followed by
/// the configuration key the bad value came from when the options were bound from configuration.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
/// <param name="validate">The type's <c>Validate()</c>; throws <see cref="ArgumentException"/> naming <c>Type.Property</c>, the value and the allowed range.</param>
/// <param name="registration">Where the bound options' configuration keys are recorded; <see langword="null"/> names no key.</param>
internal sealed class SteadfastOptionsValidator<TOptions>(Action<TOptions> validate, SteadfastRegistration? registration = null) : IValidateOptions<TOptions>
    where TOptions : class
{
    // Options types nested in others, by the property that holds them (and so by their configuration sub-section).
    private static readonly Dictionary<string, string> NestedSections = new(StringComparer.Ordinal)
    {
        ["RetryOptions"] = "Retry",
        ["CircuitBreakerOptions"] = "CircuitBreaker",
        ["RateLimitOptions"] = "RateLimit",
        ["TimeoutOptions"] = "Timeout",
        ["FallbackOptions"] = "Fallback",
        ["RetryBudgetOptions"] = "RetryBudget",
        ["ResilienceOptions"] = "Engine",
    };

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        try
        {
            validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            // The message already names Type.Property; a named instance (an executor, a queue) also needs its name, and a
            // value that came from configuration the key to fix (Steadfast:Engine:MaxAttempts), as the binder's own errors do.
            var message = string.IsNullOrEmpty(name) ? ex.Message : $"{typeof(TOptions).Name} '{name}': {ex.Message}";
            return registration?.KeyOf(typeof(TOptions), name) is { } path
                ? ValidateOptionsResult.Fail($"{message} (configuration key '{KeyOf(path, ex.ParamName)}')")
                : ValidateOptionsResult.Fail(message);
        }
    }

    /// <summary>The key of the failing property: <c>Owner.Property</c> below <paramref name="path"/>, or the section itself when the owner is unknown.</summary>
    internal static string KeyOf(string path, string? paramName)
    {
        var dot = paramName?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (paramName is null || dot <= 0)
        {
            return path;
        }

        var owner = paramName[..dot];
        var property = paramName[(dot + 1)..];
        if (owner == typeof(TOptions).Name)
        {
            return $"{path}:{property}";
        }

        return NestedSections.TryGetValue(owner, out var section) ? $"{path}:{section}:{property}" : path;
    }
}
