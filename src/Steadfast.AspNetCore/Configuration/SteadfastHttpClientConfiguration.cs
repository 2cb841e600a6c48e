using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Steadfast.AspNetCore.Http;

namespace Steadfast.AspNetCore.Configuration;

/// <summary>
/// Binds a client's <see cref="SteadfastHttpClientOptions"/> from every Steadfast section <c>AddSteadfast</c> bound: first the
/// section's <c>Enabled</c> (the seed's <c>RESILIENCE_ENABLED</c>), then <c>Http:&lt;client name&gt;</c>. The sections are read
/// when the options are created, not when the client is registered, so <c>AddSteadfast(configuration)</c> may come before or
/// after <c>AddHttpClient</c>; a change to any of them rebuilds the options (<see cref="IOptionsMonitor{TOptions}"/>).
/// </summary>
internal static class SteadfastHttpClientConfiguration
{
    /// <summary>Adds the binding, the reload and the start-up validation of the client <paramref name="clientName"/>'s options.</summary>
    public static void Add(IServiceCollection services, string clientName)
    {
        services.AddSingleton<IConfigureOptions<SteadfastHttpClientOptions>>(sp =>
            new ConfigureNamedOptions<SteadfastHttpClientOptions>(clientName, o => Bind(o, Sections(sp), clientName)));
        services.AddSingleton<IOptionsChangeTokenSource<SteadfastHttpClientOptions>>(sp => new SectionsChangeTokenSource(clientName, Sections(sp)));
        services.AddOptions<SteadfastHttpClientOptions>(clientName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SteadfastHttpClientOptions>>(sp => new ClientOptionsValidator(clientName, Sections(sp)));
    }

    /// <summary>The configuration key of the client's section in the last bound Steadfast section, e.g. <c>Steadfast:Http:billing</c>.</summary>
    public static string? KeyOf(IReadOnlyList<IConfigurationSection> sections, string clientName) =>
        sections.Count == 0 ? null : ConfigurationPath.Combine(sections[^1].Path, SteadfastHttpConstants.Section, clientName);

    private static IReadOnlyList<IConfigurationSection> Sections(IServiceProvider sp) =>
        sp.GetService<SteadfastRegistration>()?.Sections ?? [];

    private static void Bind(SteadfastHttpClientOptions options, IReadOnlyList<IConfigurationSection> sections, string clientName)
    {
        foreach (var steadfast in sections)
        {
            if (steadfast[SteadfastConfigurationBinding.Enabled] is { } enabled)
            {
                options.Enabled = bool.TryParse(enabled, out var on) ? on
                    : throw new InvalidOperationException($"Failed to convert configuration value '{enabled}' at '{ConfigurationPath.Combine(steadfast.Path, SteadfastConfigurationBinding.Enabled)}' to type 'System.Boolean'.");
            }

            steadfast.GetSection(SteadfastHttpConstants.Section).GetSection(clientName).Bind(options);
        }
    }

    /// <summary>Signals a change when any bound Steadfast section is reloaded.</summary>
    private sealed class SectionsChangeTokenSource(string name, IReadOnlyList<IConfigurationSection> sections) : IOptionsChangeTokenSource<SteadfastHttpClientOptions>
    {
        public string Name => name;

        public IChangeToken GetChangeToken() => sections.Count switch
        {
            0 => new CancellationChangeToken(CancellationToken.None),
            1 => sections[0].GetReloadToken(),
            _ => new CompositeChangeToken([.. sections.Select(s => s.GetReloadToken())]),
        };
    }

    /// <summary>Validates one client's options with their own <c>Validate()</c>, naming the client and the configuration key.</summary>
    private sealed class ClientOptionsValidator(string clientName, IReadOnlyList<IConfigurationSection> sections) : IValidateOptions<SteadfastHttpClientOptions>
    {
        public ValidateOptionsResult Validate(string? name, SteadfastHttpClientOptions options)
        {
            if (!string.Equals(name, clientName, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException ex)
            {
                var message = $"{nameof(SteadfastHttpClientOptions)} '{clientName}': {ex.Message}";
                return KeyOf(sections, clientName) is { } path
                    ? ValidateOptionsResult.Fail($"{message} (configuration key '{SteadfastOptionsValidator<SteadfastHttpClientOptions>.KeyOf(path, ex.ParamName)}')")
                    : ValidateOptionsResult.Fail(message);
            }
        }
    }
}
