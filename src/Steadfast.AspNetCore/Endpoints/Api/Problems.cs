using Microsoft.AspNetCore.Http;

namespace Steadfast.AspNetCore.Endpoints.Api;

/// <summary>The endpoints' error responses, all RFC 9457 problem details.</summary>
internal static class Problems
{
    /// <summary>400 with the field that is wrong and why (<c>errors: { field: [message] }</c>).</summary>
    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is not valid.");

    /// <summary>400 with several fields.</summary>
    public static IResult Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static IResult MutationsDisabled() => TypedResults.Problem(
        "Changes through the Steadfast endpoints are disabled; set SteadfastWebOptions.AllowMutations to true to allow them.",
        statusCode: StatusCodes.Status403Forbidden,
        title: "Mutations are disabled.");

    public static IResult Antiforgery(string headerName) => TypedResults.Problem(
        $"A change needs the anti-forgery token: read it from GET antiforgery (or the dashboard page) and send it in the '{headerName}' header with its cookie.",
        statusCode: StatusCodes.Status400BadRequest,
        title: "Missing or invalid anti-forgery token.");

    public static IResult Unavailable(string what, Exception exception) => TypedResults.Problem(
        Json.Redact.Text(exception.Message),
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: $"{what} is unavailable.");

    public static IResult NoAnalyzer() => TypedResults.Problem(
        "No FailureAnalyzer is registered (AddSteadfast registers one), so there is no blacklist to change.",
        statusCode: StatusCodes.Status501NotImplemented,
        title: "Learning is not available.");
}
