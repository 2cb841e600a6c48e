namespace Steadfast.AspNetCore.Endpoints.Events;

/// <summary>The <c>event:</c> names of the stream (a contract with the dashboard and with any other client; docs/web.md).</summary>
internal static class EventTypes
{
    /// <summary>Sent first on every stream: it is open, and whether mutations are allowed.</summary>
    public const string Hello = "hello";

    /// <summary>A circuit changed state.</summary>
    public const string Circuit = "circuit";

    /// <summary>Per interval: calls and failures per circuit, attempts.</summary>
    public const string Metrics = "metrics";

    /// <summary>The blacklist changed.</summary>
    public const string Blacklist = "blacklist";

    /// <summary>An engine attempt finished (sampled).</summary>
    public const string Attempt = "attempt";

    /// <summary>The operation mode changed.</summary>
    public const string Mode = "mode";

    /// <summary>A health component's status changed.</summary>
    public const string Health = "health";

    /// <summary>An operator alert (a problem, or recovered).</summary>
    public const string Alert = "alert";

    /// <summary>A step of the creative solver (a proposal, its verdict, a sandbox run, an outcome).</summary>
    public const string Creative = "creative";
}
