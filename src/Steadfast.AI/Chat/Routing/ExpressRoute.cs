using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using Polly;
using Polly.RateLimiting;

namespace Steadfast.AI.Chat;

/// <summary>
/// The happy path of a non-streaming request: when the provider the engine would try first is admitted at once (sequential mode,
/// no provider blacklisted or due for a recovery probe, no request-dependent skip, within the cost budget, not deferred, its
/// circuit and its limiter admitting it), it is called directly through the engine's express lane (<see cref="EngineExpress"/>:
/// the same timeout, circuit, counters and learning as the engine's first attempt) with no execution, plan, strategies or attempt
/// state. Its first failure is handed to the full route as the engine's first attempt (<see cref="ChatRequest.Replay"/>), so
/// classification, retries, failover, blacklisting and alerts are exactly the full route's.
/// </summary>
internal sealed class ExpressRoute(ProviderRuntime[] providers, EngineExpress express, SteadfastChatOptions options, ProviderBlacklist blacklist, ProviderModes modes)
{
    private static readonly object BoxedFalse = false;
    private static readonly object BoxedOne = 1;
    private static readonly object BoxedZeroCost = 0m;

    private readonly bool _needsTokens = Array.Exists(providers, p => p.Provider.InputTokenPrice != 0m || p.Provider.MaxContextTokens is not null);
    private readonly IEngineCircuit?[] _circuits = new IEngineCircuit?[providers.Length];
    private ExpressRanking? _ranking;
    private long _taken;

    /// <summary>How many requests took the express route (for tests and diagnostics).</summary>
    public long Taken => Interlocked.Read(ref _taken);

    /// <summary>Drops the cached ranking: a request went the full route (something failed or was skipped), or the blacklist changed.</summary>
    public void Invalidate() => Volatile.Write(ref _ranking, null);

    /// <summary>
    /// Picks and admits the provider for the express call, or says the full route must run; <c>inputTokens</c> is the request's
    /// estimated input tokens when they were counted, -1 otherwise (the full route counts them then).
    /// </summary>
    public bool TryStart(IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions, out Start start, out long inputTokens)
    {
        start = default;
        inputTokens = -1;
        if (options.Mode != ExecutionMode.Sequential || !express.IsOpen || Ranking() is not { } ranking)
        {
            return false;
        }

        var tokens = _needsTokens ? TokenEstimator.EstimateInputTokens(messages) : 0;
        inputTokens = _needsTokens ? tokens : -1;
        var window = tokens + (chatOptions?.MaxOutputTokens ?? 0);
        var maxApiCost = express.MaxApiCost;
        var best = -1;
        var bestScore = double.MinValue;
        var bestCost = 0m;
        for (var i = 0; i < providers.Length; i++)
        {
            var p = providers[i].Provider;
            var cost = providers[i].IsFree ? 0m : TokenEstimator.EstimateCost(p, tokens, chatOptions);

            // A provider the full route would skip for this request is written in its attempt log: that request goes the full route.
            if ((p.MaxContextTokens is { } max && window > max) || (options.MaxCostPerRequest is { } cap && cost > cap))
            {
                return false;
            }

            var score = ranking.Score(i, p, cost, maxApiCost);
            if (score > bestScore)
            {
                (best, bestScore, bestCost) = (i, score, cost);
            }
        }

        var runtime = providers[best];
        if (express.Analyzer is { } analyzer ? analyzer.GetBlacklistEntry(runtime.Name, options.OperationName) is not null : blacklist.IsBlocked(runtime.Name))
        {
            return false;
        }

        var lease = default(ProviderLimiter.Lease);
        if (runtime.Limiter.IsLimited)
        {
            try
            {
                lease = runtime.Limiter.Acquire(runtime.Name);
            }
            catch (RateLimiterRejectedException)
            {
                // The full route asks the limiter again and books the refusal as a rate limit, as always.
                return false;
            }
        }

        var circuit = _circuits[best] ??= express.CircuitOf(options.OperationName, runtime.Name);
        if (!express.TryAdmit(options.OperationName, runtime.Name, circuit, bestCost))
        {
            lease.Dispose();
            return false;
        }

        start = new Start(runtime, circuit, lease);
        Interlocked.Increment(ref _taken);
        return true;
    }

    /// <summary>Calls the admitted provider; a success is finished here, a failure goes to <paramref name="fullRoute"/> as its replay.</summary>
    public Task<ChatResponse> RunAsync(Start start, IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions, long inputTokens,
        FullRoute fullRoute, CancellationToken cancellationToken)
    {
        var p = start.Provider;
        var activity = ChatMetrics.StartAttempt(p.Name, p.Provider.ModelId ?? chatOptions?.ModelId, streaming: false);
        var started = express.Time.GetTimestamp();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        var pending = express.Timeout.ExecuteOutcomeAsync(static (ctx, st) => CallAsync(ctx, st), context,
            new CallState(p.Provider.Client, messages, p.OptionsFor(chatOptions)));
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitAsync(pending, context, start, started, activity, messages, chatOptions, inputTokens, fullRoute, cancellationToken);
        }

        ResilienceContextPool.Shared.Return(context);
        var outcome = pending.Result;
        return outcome.Exception is { } error
            ? Failed(error, start, activity, messages, chatOptions, inputTokens, fullRoute, cancellationToken)
            : Succeeded(start, outcome.Result!, started, activity);
    }

    private async Task<ChatResponse> AwaitAsync(ValueTask<Outcome<ChatResponse>> pending, ResilienceContext context, Start start, long started, Activity? activity,
        IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions, long inputTokens, FullRoute fullRoute, CancellationToken cancellationToken)
    {
        Outcome<ChatResponse> outcome;
        try
        {
            outcome = await pending.ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        return await (outcome.Exception is { } error
            ? Failed(error, start, activity, messages, chatOptions, inputTokens, fullRoute, cancellationToken)
            : Succeeded(start, outcome.Result!, started, activity)).ConfigureAwait(false);
    }

    private Task<ChatResponse> Succeeded(Start start, ChatResponse response, long started, Activity? activity)
    {
        var p = start.Provider;
        express.Succeeded(options.OperationName, p.Name, start.Circuit, express.Time.GetElapsedTime(started));
        start.Lease.Dispose();
        var cost = p.IsFree ? 0m : TokenEstimator.CostOf(p.Provider, response.Usage);
        ChatMetrics.Usage(p.Name, response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0, cost);
        if (activity is not null)
        {
            activity.SetTag("steadfast.cost", (double)cost);
            activity.Dispose();
        }

        ChatMetrics.Request(p.Name, "answered");
        var properties = response.AdditionalProperties ??= [];
        properties[SteadfastChatProperties.Provider] = p.Name;
        properties[SteadfastChatProperties.Cost] = cost == 0m ? BoxedZeroCost : cost;
        properties[SteadfastChatProperties.Attempts] = BoxedOne;
        properties[SteadfastChatProperties.Degraded] = BoxedFalse;
        properties[SteadfastChatProperties.AttemptLog] = new[] { new ChatProviderAttempt(p.Name, true, null, null, cost) };

        // A provider this client had marked degraded is normal again: the mode manager hears it (the only await on this path).
        var served = modes.ServedAsync(p.Name);
        return served.IsCompletedSuccessfully ? Task.FromResult(response) : AfterServedAsync(served, response);
    }

    private static async Task<ChatResponse> AfterServedAsync(Task served, ChatResponse response)
    {
        await served.ConfigureAwait(false);
        return response;
    }

    private Task<ChatResponse> Failed(Exception error, Start start, Activity? activity, IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions,
        long inputTokens, FullRoute fullRoute, CancellationToken cancellationToken)
    {
        EngineExpress.Abandon(start.Circuit);
        start.Lease.Dispose();
        activity?.Dispose();
        Invalidate();
        if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // The caller's cancellation surfaces as it does from the full route; nothing is learned from it.
            ExceptionDispatchInfo.Capture(error).Throw();
        }

        return fullRoute(messages, chatOptions, inputTokens, new ChatRequest.Replay(start.Provider.Name, error), cancellationToken);
    }

    private ExpressRanking? Ranking()
    {
        var ranking = Volatile.Read(ref _ranking);
        if (ranking is null || express.Time.GetTimestamp() >= ranking.ValidUntil)
        {
            ranking = ExpressRanking.Read(providers, express, blacklist, options.OperationName);
            Volatile.Write(ref _ranking, ranking);
        }

        return ranking.Usable ? ranking : null;
    }

    private static async ValueTask<Outcome<ChatResponse>> CallAsync(ResilienceContext context, CallState state)
    {
        try
        {
            return Outcome.FromResult(await state.Client.GetResponseAsync(state.Messages, state.Options, context.CancellationToken).ConfigureAwait(false));
        }
#pragma warning disable CA1031 // The provider's failure is data here: Polly's timeout reads it, then the full route books it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Outcome.FromException<ChatResponse>(e);
        }
    }

    /// <summary>The full route, given the request's counted tokens (-1: not counted) and the express attempt's failure to replay.</summary>
    public delegate Task<ChatResponse> FullRoute(IReadOnlyList<ChatMessage> messages, ChatOptions? options, long inputTokens, ChatRequest.Replay? replay,
        CancellationToken cancellationToken);

    /// <summary>An admitted express call: its provider, the circuit permit and the limiter's lease.</summary>
    public readonly record struct Start(ProviderRuntime Provider, IEngineCircuit Circuit, ProviderLimiter.Lease Lease);

    private readonly record struct CallState(IChatClient Client, IReadOnlyList<ChatMessage> Messages, ChatOptions? Options);
}
