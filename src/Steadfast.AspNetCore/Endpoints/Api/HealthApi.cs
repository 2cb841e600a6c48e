using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Steadfast.AspNetCore.Endpoints.Json;

namespace Steadfast.AspNetCore.Endpoints.Api;

/// <summary><c>GET health</c>, <c>GET mode</c>, <c>POST mode</c>.</summary>
internal sealed class HealthApi(SteadfastSources sources, ILogger logger)
{
    /// <summary>The modes <c>POST mode</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Modes = ["normal", "degraded", "emergency"];

    /// <summary>The longest reason accepted.</summary>
    public const int MaxReasonLength = 1000;

    public IResult Health() =>
        TypedResults.Json(HealthView.Of(sources.Health, sources.Time.GetUtcNow()), SteadfastWebJsonContext.Default.HealthView);

    public IResult Mode() => TypedResults.Json(ModeView.Of(sources.Modes), SteadfastWebJsonContext.Default.ModeView);

    public async Task<IResult> SetModeAsync(HttpContext http)
    {
        if (await Mutations.RefuseAsync(http, sources).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        var (request, error) = await Body.ReadAsync(http, SteadfastWebJsonContext.Default.ModeRequest).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var errors = Validate(request!, out var mode);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        if (sources.Modes is not { } modes)
        {
            return TypedResults.Problem(
                "No OperationModeManager is registered (AddSteadfast registers one), so there is no mode to set.",
                statusCode: StatusCodes.Status501NotImplemented,
                title: "Operation modes are not available.");
        }

        // A mode set by hand is a floor (the core's rule): Normal lifts it, degraded components still count.
        var reason = string.IsNullOrWhiteSpace(request!.Reason) ? "set by an operator" : SecretRedactor.RedactText(request.Reason.Trim());
        await modes.SetModeAsync(mode, reason, http.RequestAborted).ConfigureAwait(false);
        Log.Mutation(logger, () => "operation mode", mode.ToString(), http);
        return TypedResults.Json(ModeView.Of(modes), SteadfastWebJsonContext.Default.ModeView);
    }

    private static Dictionary<string, string[]> Validate(ModeRequest request, out OperationMode mode)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = request.Mode?.Trim().ToLowerInvariant();
        mode = name switch
        {
            "degraded" => OperationMode.Degraded,
            "emergency" => OperationMode.Emergency,
            _ => OperationMode.Normal,
        };
        if (name is null || !Modes.Contains(name))
        {
            errors["mode"] = [$"mode must be one of {string.Join(", ", Modes)}; was {(request.Mode is null ? "missing" : $"'{request.Mode}'")}."];
        }

        if (mode != OperationMode.Normal && string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["reason is required when the mode is degraded or emergency (it is shown to operators)."];
        }
        else if (request.Reason?.Length > MaxReasonLength)
        {
            errors["reason"] = [$"reason must be at most {MaxReasonLength} characters; was {request.Reason.Length}."];
        }

        return errors;
    }
}
