using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What <c>AddSteadfast</c> has registered into one service collection, kept in it as an instance registration (like
/// the framework's own registration-time records): its presence means the core services are in, and it lists the
/// configuration sections already bound, so a second call adds nothing.
/// </summary>
internal sealed class SteadfastRegistration
{
    private readonly List<IConfigurationSection> _sections = [];

    // Filled while services are registered (one thread), read by validators after the provider is built: no lock needed.
    private readonly Dictionary<(Type Type, string Name), string> _keys = [];

    /// <summary>The bound Steadfast sections, in the order they were bound.</summary>
    public IReadOnlyList<IConfigurationSection> Sections => _sections;

    /// <summary>The record of <paramref name="services"/>, or <see langword="null"/> when <c>AddSteadfast</c> was never called on it.</summary>
    public static SteadfastRegistration? Find(IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i] is { ServiceType: var type, IsKeyedService: false, ImplementationInstance: SteadfastRegistration registration }
                && type == typeof(SteadfastRegistration))
            {
                return registration;
            }
        }

        return null;
    }

    /// <summary>
    /// Records <paramref name="section"/> unless a section with its path was bound already. A section does not expose its
    /// configuration root, so the path is the identity: an application has one configuration, and binding the same
    /// path twice would only add the same bindings again.
    /// </summary>
    /// <returns><see langword="true"/> when the section is new and must be bound.</returns>
    public bool TryAdd(IConfigurationSection section)
    {
        if (_sections.Exists(s => string.Equals(s.Path, section.Path, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        _sections.Add(section);
        return true;
    }

    /// <summary>Records that the options <paramref name="type"/> named <paramref name="name"/> are bound from the configuration key <paramref name="path"/>.</summary>
    public void RecordKey(Type type, string name, string path) => _keys[(type, name)] = path;

    /// <summary>The configuration key the named options are bound from, or <see langword="null"/> when they come from code only.</summary>
    public string? KeyOf(Type type, string? name) => _keys.GetValueOrDefault((type, name ?? string.Empty));

    /// <summary>The value of <paramref name="key"/> (relative to the Steadfast section) in the last bound section that sets it.</summary>
    public string? ValueOf(string key)
    {
        for (var i = _sections.Count - 1; i >= 0; i--)
        {
            if (_sections[i][key] is { } value)
            {
                return value;
            }
        }

        return null;
    }
}
