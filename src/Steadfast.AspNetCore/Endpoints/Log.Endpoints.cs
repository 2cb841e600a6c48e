using Microsoft.Extensions.Logging;

namespace Steadfast.AspNetCore.Endpoints;

/// <summary>The endpoints' log messages (event ids 13100-13199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 13100, EventName = "SteadfastEventTickFailed", Level = LogLevel.Warning,
        Message = "A tick of the Steadfast event stream failed; the next tick tries again.")]
    public static partial void EventTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 13101, EventName = "SteadfastMutation", Level = LogLevel.Information,
        Message = "Steadfast operator change: {Target} {Action} by {User}.")]
    private static partial void Mutation(ILogger logger, string target, string action, string user);

    /// <summary>Logs an operator's change, with who made it (the user's name, when signed in).</summary>
    public static void Mutation(ILogger logger, Func<string> target, string action, Microsoft.AspNetCore.Http.HttpContext http)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var who = http.User.Identity?.Name is { Length: > 0 } user ? user : "an anonymous caller";
            var what = target();
            Mutation(logger, what, action, who);
        }
    }
}
