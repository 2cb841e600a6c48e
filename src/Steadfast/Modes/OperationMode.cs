namespace Steadfast;

/// <summary>How the system operates, from all features on to only what is essential.</summary>
public enum OperationMode
{
    /// <summary>Every component works; every feature is on.</summary>
    Normal = 0,

    /// <summary>A component is degraded or down: features defined to stop in Degraded mode are off.</summary>
    Degraded,

    /// <summary>An important component (High or Critical severity) is down, or an operator said so: only essentials run.</summary>
    Emergency,
}
