using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Runs an options type's own <c>Validate()</c> under the options framework, so <c>ValidateOnStart</c> (and the first
/// <c>IOptions&lt;T&gt;.Value</c>) fails with the same message as the constructor that takes the options would.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
/// <param name="validate">The type's <c>Validate()</c>; throws <see cref="ArgumentException"/> naming <c>Type.Property</c>, the value and the allowed range.</param>
internal sealed class SteadfastOptionsValidator<TOptions>(Action<TOptions> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        try
        {
            validate(options);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            // The message already names Type.Property; a named instance (an executor, a queue) also needs its name.
            return ValidateOptionsResult.Fail(string.IsNullOrEmpty(name) ? ex.Message : $"{typeof(TOptions).Name} '{name}': {ex.Message}");
        }
    }
}
