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
}
