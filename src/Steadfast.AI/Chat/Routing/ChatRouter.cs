using System.Globalization;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Steadfast.AI.Chat;

/// <summary>
/// Runs one request across the providers as strategies of the engine, in phases: the first phase offers every eligible provider;
/// a context-window or content-policy error ends it (the phase's token is cancelled) and the next phase offers only the untried
/// providers that rule allows. Auth failures blacklist the provider. Learning, ranking, circuits, retries and rate-limit deferral
/// are the engine's.
/// </summary>
internal sealed class ChatRouter(ProviderRuntime[] providers, ResilienceEngine engine, SteadfastChatOptions options, ProviderBlacklist blacklist,
    ProviderModes modes, Func<ProviderBlacklistedEventArgs, Task> alert, Action fullRouteRan, ILogger logger)
{
    public delegate Task<T> ProviderCall<T>(ProviderRuntime provider, ProviderLimiter.Lease lease, AttemptContext attempt, CancellationToken cancellationToken);

    public IReadOnlyList<ProviderRuntime> Providers => providers;

    public ProviderBlacklist Blacklist => blacklist;

    public async Task<Routed<T>> RouteAsync<T>(ChatRequest request, ProviderCall<T> call)
    {
        try
        {
            return await RouteCoreAsync(request, call).ConfigureAwait(false);
        }
        finally
        {
            // Whatever this route learned (a failure, a skip, a recovery) may change the ranking the express route keeps.
            fullRouteRan();
        }
    }

    private async Task<Routed<T>> RouteCoreAsync<T>(ChatRequest request, ProviderCall<T> call)
    {
        var candidates = Eligible(request, redirect: null);
        Exception? lastError = null;
        while (candidates.Count > 0)
        {
            using var phase = CancellationTokenSource.CreateLinkedTokenSource(request.CallerToken);
            request.Phase = phase;
            var strategies = new Strategy<T>[candidates.Count];
            for (var i = 0; i < strategies.Length; i++)
            {
                var p = candidates[i];
                strategies[i] = new Strategy<T>(p.Name, (attempt, ct) => AttemptAsync(request, p, call, attempt, ct), p.Provider.Priority)
                {
                    Cost = TokenEstimator.EstimateCost(p.Provider, request.InputTokens, request.Options),

                    // An engine built with the same mode manager applies the Emergency rule itself; it agrees with ours.
                    EssentialInEmergency = p.Provider.Essential,
                };
            }

            ResilienceResult<T>? result = null;
            try
            {
                result = await engine.ExecuteWithAlternativesAsync(strategies, options.OperationName, context: null, options.Mode, phase.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!request.CallerToken.IsCancellationRequested && request.PendingRedirect is not null)
            {
                // The phase was ended by a redirect; the next phase picks the providers the redirect's rule allows.
            }

            if (result is { Success: true, StrategyUsed: { } used })
            {
                RecordSkips(request, result);
                await modes.ObserveAsync(request, used).ConfigureAwait(false);
                return new Routed<T>(result.Value, Find(used), null);
            }

            var redirect = request.TakeRedirect();
            if (redirect is null)
            {
                if (result is not null)
                {
                    RecordSkips(request, result);
                }

                await modes.ObserveAsync(request, servedBy: null).ConfigureAwait(false);
                return new Routed<T>(default, null, result?.Error ?? lastError);
            }

            lastError = redirect.Error;
            candidates = Eligible(request, redirect);
            if (candidates.Count == 0)
            {
                // The request itself is the problem (too long, or refused) and no provider may take it: that is the caller's
                // error to see, not an outage to hide behind the degraded response.
                ExceptionDispatchInfo.Capture(redirect.Error).Throw();
            }
        }

        return new Routed<T>(default, null, lastError);
    }

    private ProviderRuntime? Find(string name) => Array.Find(providers, p => p.Name == name);

    private List<ProviderRuntime> Eligible(ChatRequest request, ChatRequest.Redirect? redirect)
    {
        var eligible = new List<ProviderRuntime>(providers.Length);
        var maxOutput = request.Options?.MaxOutputTokens ?? 0;
        var admitted = modes.Admitted(providers, request);
        foreach (var p in providers)
        {
            if (redirect is not null && (request.WasTried(p.Name) || !AllowedAfter(redirect, p.Provider)))
            {
                continue;
            }

            string? skip = null;
            var estimate = TokenEstimator.EstimateCost(p.Provider, request.InputTokens, request.Options);
            if (blacklist.IsBlocked(p.Name))
            {
                skip = ChatConstants.SkipBlacklisted;
            }
            else if (admitted is not null && !admitted.Contains(p.Name))
            {
                skip = ChatConstants.SkipEmergency;
            }
            else if (p.Provider.MaxContextTokens is { } window && request.InputTokens + maxOutput > window)
            {
                skip = string.Create(CultureInfo.InvariantCulture, $"{ChatConstants.SkipContextWindow}{request.InputTokens + maxOutput} tokens exceed {window}");
            }
            else if (options.MaxCostPerRequest is { } cap && estimate > cap)
            {
                skip = string.Create(CultureInfo.InvariantCulture, $"{ChatConstants.SkipCost}{estimate} exceeds MaxCostPerRequest {cap}");
            }

            if (skip is null)
            {
                eligible.Add(p);
            }
            else
            {
                request.Record(new ChatProviderAttempt(p.Name, false, null, null, 0m, skip), wasCall: false);
            }
        }

        return eligible;
    }

    private static bool AllowedAfter(ChatRequest.Redirect redirect, ChatProvider candidate) => redirect.Kind switch
    {
        // A provider whose window is unknown is never a context-window fallback: it may well be as small.
        ChatErrorKind.ContextWindow => candidate.MaxContextTokens is { } window && window > (redirect.From.MaxContextTokens ?? 0),
        ChatErrorKind.ContentPolicy => candidate.ContentPolicyFallback,
        _ => true,
    };

    private static void RecordSkips<T>(ChatRequest request, ResilienceResult<T> result)
    {
        foreach (var a in result.Attempts)
        {
            // Our own limiter's refusals are recorded where they happen; the engine's skips (open circuit, deferral, budget) here.
            if (a.Skipped && a.SkipReason is { } reason)
            {
                request.Record(new ChatProviderAttempt(a.Strategy, false, null, null, 0m, reason), wasCall: false);
            }
        }
    }

    private async Task<T> AttemptAsync<T>(ChatRequest request, ProviderRuntime p, ProviderCall<T> call, AttemptContext attempt, CancellationToken token)
    {
        if (request.PendingRedirect is not null)
        {
            // A racer or a queued attempt of a phase a redirect is ending: do not call a provider the rule may exclude.
            await request.Phase!.CancelAsync().ConfigureAwait(false);
            token.ThrowIfCancellationRequested();
            throw new OperationCanceledException(token);
        }

        if (request.TakeReplay(p.Name) is { } replayed)
        {
            // The express attempt already called the provider (holding its limiter's permit) and failed: book that failure as this
            // attempt's. A timeout is the engine's to book (Polly's timeout of the express lane), as for a call made here.
            if (replayed is not TimeoutRejectedException)
            {
                await OnFailureAsync(request, p, replayed).ConfigureAwait(false);
            }

            ExceptionDispatchInfo.Capture(replayed).Throw();
        }

        var lease = default(ProviderLimiter.Lease);
        if (p.Limiter.IsLimited)
        {
            try
            {
                lease = p.Limiter.Acquire(p.Name);
            }
            catch (RateLimiterRejectedException rejected)
            {
                request.Record(new ChatProviderAttempt(p.Name, false, ChatErrorKind.RateLimited, rejected, 0m, SkipReasons.RateLimited + ": " + rejected.Message), wasCall: false);
                throw;
            }
        }

        try
        {
            return await call(p, lease, attempt, token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException || !token.IsCancellationRequested)
        {
            await OnFailureAsync(request, p, error).ConfigureAwait(false);
            throw;
        }
    }

    private async Task OnFailureAsync(ChatRequest request, ProviderRuntime p, Exception error)
    {
        var kind = ChatErrorClassifier.Classify(error);
        request.Record(new ChatProviderAttempt(p.Name, false, kind, error, 0m), wasCall: true);
        ChatMetrics.Failover(p.Name, kind);
        Log.Failover(logger, p.Name, kind);
        switch (kind)
        {
            case ChatErrorKind.Authentication:
                var reason = SecretRedactor.RedactText(error.Message);
                await blacklist.AddAsync(p.Name, reason).ConfigureAwait(false);
                Log.ProviderAuthenticationFailed(logger, p.Name, reason);
                await modes.UnavailableAsync(p.Name, ChatConstants.SkipBlacklisted).ConfigureAwait(false);
                await alert(new ProviderBlacklistedEventArgs(p.Name, options.OperationName, reason, error)).ConfigureAwait(false);
                break;
            case ChatErrorKind.ContextWindow or ChatErrorKind.ContentPolicy:
                if (request.TrySetRedirect(new ChatRequest.Redirect(kind, p.Provider, error)))
                {
                    await request.Phase!.CancelAsync().ConfigureAwait(false);
                }

                break;
        }
    }
}
