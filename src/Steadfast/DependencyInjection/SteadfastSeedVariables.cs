using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The environment variables of the seed documents, honoured by <c>AddSteadfast(configuration)</c> as if they were keys of
/// the Steadfast section: <c>RESILIENCE_ENABLED</c> is <c>Enabled</c>, <c>RESILIENCE_CHECKPOINT_DIR</c> is
/// <c>Workflows:CheckpointDirectory</c>, and <c>RESILIENCE_HEALTH_CHECK_INTERVAL</c> (milliseconds) is
/// <c>Health:CheckInterval</c>. A key set in the configuration itself (<c>Steadfast__Enabled</c>, appsettings.json) wins.
/// </summary>
internal static class SteadfastSeedVariables
{
    /// <summary>The seed's switch for the whole resilience layer.</summary>
    public const string Enabled = "RESILIENCE_ENABLED";

    /// <summary>The seed's directory of workflow checkpoints.</summary>
    public const string CheckpointDirectory = "RESILIENCE_CHECKPOINT_DIR";

    /// <summary>The seed's health check interval, in milliseconds.</summary>
    public const string HealthCheckInterval = "RESILIENCE_HEALTH_CHECK_INTERVAL";

    /// <summary>
    /// <paramref name="section"/> with the seed variables <paramref name="environment"/> holds underneath it, or
    /// <paramref name="section"/> itself when none is set.
    /// </summary>
    /// <exception cref="InvalidOperationException">A seed variable holds a value that cannot mean anything.</exception>
    public static IConfigurationSection Overlay(IConfigurationSection section, Func<string, string?> environment)
    {
        var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (environment(Enabled) is { Length: > 0 } enabled)
        {
            defaults["Enabled"] = bool.TryParse(enabled, out var on) ? on.ToString(CultureInfo.InvariantCulture)
                : enabled is "1" or "0" ? (enabled == "1").ToString(CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"The environment variable {Enabled} must be true or false (or 1 or 0); was '{enabled}'.");
        }

        if (environment(CheckpointDirectory) is { Length: > 0 } directory)
        {
            defaults["Workflows:CheckpointDirectory"] = directory;
        }

        if (environment(HealthCheckInterval) is { Length: > 0 } interval)
        {
            // The seed writes milliseconds (30000); the configuration binder reads TimeSpan text.
            defaults["Health:CheckInterval"] = long.TryParse(interval, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= (long)TimeSpan.MaxValue.TotalMilliseconds
                ? TimeSpan.FromMilliseconds(ms).ToString("c", CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"The environment variable {HealthCheckInterval} must be a whole number of milliseconds, e.g. 30000; was '{interval}'.");
        }

        return defaults.Count == 0 ? section : new SeedVariablesSection(section, defaults, string.Empty);
    }

    /// <summary>A section that answers from the configuration first and from the seed variables for keys it does not have.</summary>
    private sealed class SeedVariablesSection(IConfigurationSection inner, Dictionary<string, string> defaults, string relativePath) : IConfigurationSection
    {
        public string Key => inner.Key;

        public string Path => inner.Path;

        public string? Value
        {
            get => inner.Value ?? defaults.GetValueOrDefault(relativePath);
            set => inner.Value = value;
        }

        public string? this[string key]
        {
            get => inner[key] ?? defaults.GetValueOrDefault(Combine(relativePath, key));
            set => inner[key] = value;
        }

        public IConfigurationSection GetSection(string key) => new SeedVariablesSection(inner.GetSection(key), defaults, Combine(relativePath, key));

        public IEnumerable<IConfigurationSection> GetChildren()
        {
            var keys = new List<string>();
            foreach (var child in inner.GetChildren())
            {
                keys.Add(child.Key);
            }

            var prefix = relativePath.Length == 0 ? string.Empty : relativePath + ConfigurationPath.KeyDelimiter;
            foreach (var key in defaults.Keys)
            {
                if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    var rest = key[prefix.Length..];
                    var next = rest.Split(ConfigurationPath.KeyDelimiter)[0];
                    if (!keys.Contains(next, StringComparer.OrdinalIgnoreCase))
                    {
                        keys.Add(next);
                    }
                }
            }

            return keys.ConvertAll(GetSection);
        }

        public Primitives.IChangeToken GetReloadToken() => inner.GetReloadToken();

        private static string Combine(string path, string key) => path.Length == 0 ? key : ConfigurationPath.Combine(path, key);
    }
}
