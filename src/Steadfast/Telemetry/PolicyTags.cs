using System.Diagnostics;

namespace Steadfast.Telemetry;

/// <summary>
/// The tag every measurement of a named policy (retry, timeout, rate limit, fallback, executor) carries, so dashboards
/// can tell services apart. Each policy's instruments live in its own folder; the tag is shared so they join up.
/// </summary>
internal static class PolicyTags
{
    /// <summary>The tag that carries the policy's or executor's name.</summary>
    public const string Name = "steadfast.policy.name";

    /// <summary>A tag list holding only the name tag; built once per policy, not per measurement.</summary>
    public static TagList For(string policyName) => new() { { Name, policyName } };
}
