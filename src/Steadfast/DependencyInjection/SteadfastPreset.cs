namespace Steadfast;

/// <summary>
/// A starting set of option values for <c>AddSteadfast(...).UsePreset(...)</c> (the seed's <c>applyResiliencePreset</c>).
/// A preset sets defaults only: the configuration and <c>services.Configure&lt;T&gt;</c> go on top of it, whatever the order
/// of the calls. The values are listed in docs/web.md, "Presets".
/// </summary>
public enum SteadfastPreset
{
    /// <summary>
    /// A service under load: 3 attempts per strategy, backoff from 1 s up to 30 s, 10 s per attempt, 60 s per execution,
    /// no progress events; blacklist entries last 30 minutes.
    /// </summary>
    Production = 0,

    /// <summary>
    /// A developer's machine: fail fast and show everything: 2 attempts per strategy, backoff from 100 ms up to 2 s,
    /// 5 s per attempt, 15 s per execution, progress events on, escalation after 3 failed attempts; blacklist entries last
    /// 1 minute and are probed every 2 s.
    /// </summary>
    Development = 1,
}
