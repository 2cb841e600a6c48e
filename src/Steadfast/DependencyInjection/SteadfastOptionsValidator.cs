using Microsoft.Extensions.Options;
using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs an options type's own <c>Validate()</c> under the options framework, so <c>ValidateOnStart</c> reports the same message.</summary>
internal sealed class SteadfastOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        try
        {
            switch (options)
            {
                case CircuitBreakerOptions breaker:
                    breaker.Validate();
                    break;
                case ResilientExecutorOptions executor:
                    executor.Validate();
                    break;
            }

            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            var where = string.IsNullOrEmpty(name) ? typeof(TOptions).Name : $"{typeof(TOptions).Name} '{name}'";
            return ValidateOptionsResult.Fail($"{where}: {ex.Message}");
        }
    }
}
