using System.Collections.Concurrent;

namespace Steadfast.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's files, embedded in the assembly (no build step, no CDN: the page works on a machine without internet),
/// read once and kept.
/// </summary>
internal static class DashboardAssets
{
    public const string Page = "index.html";
    public const string Script = "dashboard.js";
    public const string Styles = "dashboard.css";

    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>The text of the embedded file <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">The file is not embedded (a packaging error).</exception>
    public static string Read(string name) => Cache.GetOrAdd(name, static n =>
    {
        var assembly = typeof(DashboardAssets).Assembly;
        using var stream = assembly.GetManifestResourceStream("Steadfast.AspNetCore.Dashboard." + n)
            ?? throw new InvalidOperationException($"The dashboard asset '{n}' is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
