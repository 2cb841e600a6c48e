using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Steadfast;

/// <summary><c>UseSteadfastCache()</c> for <see cref="ChatClientBuilder"/>.</summary>
public static class SteadfastChatCacheExtensions
{
    /// <summary>Adds <see cref="SteadfastCachingChatClient"/> to the pipeline.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="cache">The cache; when <see langword="null"/>, the <see cref="SteadfastCache"/> registered in the services.</param>
    /// <param name="configure">Sets the middleware's options (streaming caching, namespace, TTL).</param>
    /// <returns>The builder.</returns>
    public static ChatClientBuilder UseSteadfastCache(this ChatClientBuilder builder, SteadfastCache? cache = null, Action<SteadfastCachingChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var client = new SteadfastCachingChatClient(inner, cache ?? services.GetRequiredService<SteadfastCache>());
            configure?.Invoke(client);
            return client;
        });
    }
}
