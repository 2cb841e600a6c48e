using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Steadfast.AspNetCore.Endpoints.Events;
using Steadfast.AspNetCore.Endpoints.Json;

namespace Steadfast.AspNetCore.Endpoints.Api;

/// <summary><c>GET blacklist</c>, <c>POST blacklist</c>, <c>DELETE blacklist/{operation}/{strategy}</c>.</summary>
internal sealed class BlacklistApi(SteadfastSources sources, EventSampler events, ILogger logger)
{
    /// <summary>The longest strategy or operation name accepted.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest reason accepted.</summary>
    public const int MaxReasonLength = 1000;

    public async Task<IResult> ListAsync(CancellationToken cancellationToken)
    {
        if (sources.Analyzer is not { } analyzer)
        {
            return TypedResults.Json<IReadOnlyList<BlacklistView>>([], SteadfastWebJsonContext.Default.IReadOnlyListBlacklistView);
        }

        var entries = await analyzer.GetBlacklistAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Json<IReadOnlyList<BlacklistView>>([.. entries.Select(BlacklistView.Of)], SteadfastWebJsonContext.Default.IReadOnlyListBlacklistView);
    }

    public async Task<IResult> AddAsync(HttpContext http)
    {
        if (await Mutations.RefuseAsync(http, sources).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        var (request, error) = await Body.ReadAsync(http, SteadfastWebJsonContext.Default.BlacklistRequest).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var now = sources.Time.GetUtcNow();
        var errors = Validate(request!, now);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        if (sources.Analyzer is not { } analyzer)
        {
            return Problems.NoAnalyzer();
        }

        var reason = SecretRedactor.RedactText(request!.Reason!.Trim());
        await analyzer.AddToBlacklistAsync(request.Strategy!, request.Operation!, reason, request.Expires - now, http.RequestAborted).ConfigureAwait(false);
        Log.Mutation(logger, () => $"strategy '{request.Strategy}' of '{request.Operation}'", "blacklisted", http);
        await events.PublishBlacklistAsync(force: true, http.RequestAborted).ConfigureAwait(false);
        var entry = analyzer.GetBlacklistEntry(request.Strategy!, request.Operation!);
        return entry is null
            ? TypedResults.Accepted((string?)null)
            : TypedResults.Json(BlacklistView.Of(entry), SteadfastWebJsonContext.Default.BlacklistView, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> RemoveAsync(HttpContext http, string operation, string strategy)
    {
        if (await Mutations.RefuseAsync(http, sources).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        if (sources.Analyzer is not { } analyzer)
        {
            return Problems.NoAnalyzer();
        }

        operation = RouteName.Decode(operation);
        strategy = RouteName.Decode(strategy);
        if (!await analyzer.RemoveFromBlacklistAsync(strategy, operation, http.RequestAborted).ConfigureAwait(false))
        {
            return Problems.NotFound($"Strategy '{strategy}' is not blacklisted for operation '{operation}'.");
        }

        Log.Mutation(logger, () => $"strategy '{strategy}' of '{operation}'", "lifted from the blacklist", http);
        await events.PublishBlacklistAsync(force: true, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    internal static Dictionary<string, string[]> Validate(BlacklistRequest request, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Name(errors, "strategy", request.Strategy);
        Name(errors, "operation", request.Operation);
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["reason is required: say why the strategy is excluded."];
        }
        else if (request.Reason.Length > MaxReasonLength)
        {
            errors["reason"] = [$"reason must be at most {MaxReasonLength} characters; was {request.Reason.Length}."];
        }

        if (request.Expires is { } expires && expires <= now)
        {
            errors["expires"] = [$"expires must be in the future (after {now:O}); was {expires:O}. Leave it out for an entry that lasts until lifted."];
        }

        return errors;
    }

    private static void Name(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"{field} is required."];
        }
        else if (value.Length > MaxNameLength)
        {
            errors[field] = [$"{field} must be at most {MaxNameLength} characters; was {value.Length}."];
        }
    }
}
