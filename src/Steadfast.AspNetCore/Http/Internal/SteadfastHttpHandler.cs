using System.Runtime.ExceptionServices;

namespace Steadfast.AspNetCore.Http.Internal;

/// <summary>
/// The delegating handler behind <c>AddSteadfastResilienceHandler</c> (no endpoints: one strategy, the request as it is) and
/// <c>AddSteadfastFailover</c> (one strategy per endpoint, ranked, learned and probed by the engine). Each attempt sends its
/// own copy of the request; a response the client's <c>ShouldHandle</c> calls a failure is a failed attempt; when no attempt
/// succeeds the caller gets the last failed response, or the last exception when there is none.
/// </summary>
internal sealed class SteadfastHttpHandler : DelegatingHandler
{
    private readonly HttpClientEngines _engines;
    private readonly string _clientName;
    private readonly Uri[]? _endpoints;
    private readonly ExecutionMode _mode;

    public SteadfastHttpHandler(HttpClientEngines engines, string clientName, Uri[]? endpoints, ExecutionMode mode)
    {
        _engines = engines;
        _clientName = clientName;
        _endpoints = endpoints;
        _mode = mode;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var client = _engines.Get(_clientName);
        var options = client.Options;
        if (!options.Enabled)
        {
            // Resilience switched off (RESILIENCE_ENABLED=false): the request goes as it is, to the address it names.
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var snapshot = await RequestSnapshot.CreateAsync(request, options.MaxRequestContentBytes, cancellationToken).ConfigureAwait(false);
        var responses = new AttemptResponses();
        var shouldHandle = options.ShouldHandle ?? SteadfastHttpClientOptions.IsTransientFailure;
        ResilienceResult<HttpResponseMessage> result;
        try
        {
            if (_endpoints is null)
            {
                result = await client.Engine.ExecuteAsync(
                    ct => AttemptAsync(snapshot, null, responses, shouldHandle, ct), client.OperationName, context: null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var strategies = new List<Strategy<HttpResponseMessage>>(_endpoints.Length);
                for (var i = 0; i < _endpoints.Length; i++)
                {
                    var endpoint = _endpoints[i];

                    // The given order is the preference among equally good endpoints (ordered groups); learning reorders them.
                    strategies.Add(new Strategy<HttpResponseMessage>(
                        StrategyName(endpoint), ct => AttemptAsync(snapshot, endpoint, responses, shouldHandle, ct), Priority(i)));
                }

                result = await client.Engine.ExecuteWithAlternativesAsync(strategies, client.OperationName, context: null, _mode, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            responses.Complete(keep: null);
            throw;
        }

        if (result.Success)
        {
            responses.Complete(result.Value);
            return result.Value!;
        }

        if (result.Error is HttpAttemptFailure failure && responses.Holds(failure.Response))
        {
            // As the standard resilience handler does: the caller sees the last response (a 503, a 429) and decides.
            responses.Complete(failure.Response);
            return failure.Response;
        }

        responses.Complete(keep: null);
        if (Refusal(result, client.OperationName) is { } refusal)
        {
            throw refusal;
        }

        if (result.Error is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        throw new HttpRequestException($"The request to '{client.OperationName}' failed ({result.StopReason}) without an attempt.");
    }

    /// <summary>The name of an endpoint's strategy (and of its circuit, <c>operation/strategy</c>): its scheme, host and port.</summary>
    internal static string StrategyName(Uri endpoint) => endpoint.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);

    /// <summary>
    /// When nothing was sent because every endpoint was refused before trying (a 429's retry-after still running, an open
    /// circuit), the typed refusal with its retry-after, as a rate limiter or a circuit breaker in a Polly pipeline throws.
    /// </summary>
    private static Exception? Refusal(ResilienceResult<HttpResponseMessage> result, string operation)
    {
        AttemptRecord? last = null;
        foreach (var record in result.Attempts)
        {
            if (record.Outcome != AttemptOutcome.Skipped)
            {
                return null;
            }

            last = record;
        }

        return last?.SkipReason switch
        {
            SkipReasons.RateLimited => new RateLimitRejectedException(operation, last.RetryAfter, result.Error),
            SkipReasons.CircuitOpen => new CircuitOpenException($"{operation}/{last.Strategy}", CircuitState.Open, last.RetryAfter, result.Error),
            _ => null,
        };
    }

    private static double Priority(int index) => Math.Max(0.1, 1.0 - (0.1 * index));

    private async Task<HttpResponseMessage> AttemptAsync(
        RequestSnapshot snapshot, Uri? endpoint, AttemptResponses responses, Func<HttpResponseMessage, bool> shouldHandle, CancellationToken cancellationToken)
    {
        // The response refers to its request (RequestMessage) and may be returned to the caller: the copy lives as long as
        // the response does. It holds nothing but memory (a byte array body).
#pragma warning disable CA2000 // See above.
        var request = snapshot.Create(endpoint);
#pragma warning restore CA2000
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!responses.Add(response))
        {
            // A loser that answered after the request was decided; Add disposed its response.
            throw new OperationCanceledException("The request was decided by another attempt.", cancellationToken);
        }

        return shouldHandle(response) ? throw HttpAttemptFailure.From(response, _engines.Time) : response;
    }
}
