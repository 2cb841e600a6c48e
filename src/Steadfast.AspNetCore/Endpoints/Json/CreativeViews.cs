namespace Steadfast.AspNetCore.Endpoints.Json;

/// <summary>
/// <c>GET creative</c>: what the creative solver tried, oldest first. <see cref="Available"/> is false when the application
/// registers no <see cref="ICreativeHistory"/> (no creative solver).
/// </summary>
internal sealed record CreativeView(bool Available, IReadOnlyList<CreativeEventView> Events)
{
    public static CreativeView Of(ICreativeHistory? history, int limit)
    {
        if (history is null)
        {
            return new CreativeView(false, []);
        }

        var events = history.History;
        return new CreativeView(true, [.. events.Skip(Math.Max(0, events.Count - limit)).Select(CreativeEventView.Of)]);
    }
}

/// <summary>
/// One step of the creative solver, also the <c>creative</c> event of the stream: a proposal (tool, arguments, rationale),
/// its verdict (accepted, or refused with the reason), a sandbox run, an outcome. Every text redacted once more.
/// </summary>
internal sealed record CreativeEventView(
    CreativeEventKind Kind,
    string Operation,
    DateTimeOffset At,
    string? StrategyName,
    string? Tool,
    string? Arguments,
    string? Rationale,
    string? Reason)
{
    public static CreativeEventView Of(CreativeSolverEvent e) => new(
        e.Kind, e.Operation, e.At, e.StrategyName, e.Tool, Redact.Text(e.Arguments), Redact.Text(e.Rationale), Redact.Text(e.Reason));
}
