using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using Polly.RateLimiting;
using Polly.Timeout;

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

    // Per provider, the marks of a free answer: AdditionalPropertiesDictionary copies a dictionary of its own comparer entry by
    // entry with the hash codes it holds, about half the cost of adding five keys (each hashed ignoring case).
    private readonly Dictionary<string, object?>?[] _freeMarks = new Dictionary<string, object?>?[providers.Length];
    // A token source the thread's last express call gave back unused (no timer armed, not cancelled), so a call that completes at
    // once allocates none; Polly's timeout pools its sources the same way.
    [ThreadStatic]
    private static CancellationTokenSource? _spareSource;

    // The entries a new AdditionalProperties dictionary is built from, reused by the thread (cleared after each use).
    [ThreadStatic]
    private static KeyValuePair<string, object?>[]? _entries;

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
        // No provider blacklisted (a lock-free read): the planner would skip or probe it, and the log would say so.
        if (options.Mode != ExecutionMode.Sequential || !express.IsOpen || !blacklist.IsSurelyEmpty)
        {
            return false;
        }

        var now = express.Time.GetTimestamp();
        if (Ranking(now) is not { } ranking)
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

            var score = ranking.Score(i, cost, maxApiCost);
            if (score > bestScore)
            {
                (best, bestScore, bestCost) = (i, score, cost);
            }
        }

        var runtime = providers[best];
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

        start = new Start(runtime, best, circuit, lease, now);
        Interlocked.Increment(ref _taken);
        return true;
    }

    /// <summary>
    /// Calls the admitted provider within the engine's strategy timeout; a success is finished here, a failure goes to
    /// <paramref name="fullRoute"/> as its replay. The timeout's timer is armed only when the call did not complete at once (a
    /// call that completed cannot time out), on a token source reused by the thread while no call kept it.
    /// </summary>
    public Task<ChatResponse> RunAsync(Start start, IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions, long inputTokens,
        FullRoute fullRoute, CancellationToken cancellationToken)
    {
        var p = start.Provider;
        var activity = ChatMetrics.StartAttempt(p.Name, p.Provider.ModelId ?? chatOptions?.ModelId, streaming: false);
        var source = _spareSource ?? new CancellationTokenSource();
        _spareSource = null;
        var link = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source) : default;
        Task<ChatResponse> call;
        try
        {
            call = p.Provider.Client.GetResponseAsync(messages, p.OptionsFor(chatOptions), source.Token);
        }
#pragma warning disable CA1031 // The provider's failure is data here: the full route books it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            call = Task.FromException<ChatResponse>(e);
        }

        if (!call.IsCompleted)
        {
            return AwaitAsync(call, source, link, start, activity, messages, chatOptions, inputTokens, fullRoute, cancellationToken);
        }

        link.Dispose();
        if (source.TryReset())
        {
            _spareSource = source;
        }
        else
        {
            source.Dispose();
        }

        return call.IsCompletedSuccessfully
            ? Succeeded(start, call, activity)
            : Failed(ErrorOf(call), start, activity, messages, chatOptions, inputTokens, fullRoute, cancellationToken);
    }

    private async Task<ChatResponse> AwaitAsync(Task<ChatResponse> call, CancellationTokenSource source, CancellationTokenRegistration link, Start start,
        Activity? activity, IReadOnlyList<ChatMessage> messages, ChatOptions? chatOptions, long inputTokens, FullRoute fullRoute, CancellationToken cancellationToken)
    {
        var timedOut = new StrongBox<bool>();
        var timer = express.Time.CreateTimer(static s =>
        {
            var (box, cts) = ((StrongBox<bool>, CancellationTokenSource))s!;
            box.Value = true;
            cts.Cancel();
        }, (timedOut, source), express.StrategyTimeout, Timeout.InfiniteTimeSpan);
        Exception? error = null;
        try
        {
            await call.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The provider's failure is data here: the full route books it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e;
        }
        finally
        {
            await timer.DisposeAsync().ConfigureAwait(false);
            await link.DisposeAsync().ConfigureAwait(false);
            source.Dispose();
        }

        if (error is null)
        {
            return await Succeeded(start, call, activity).ConfigureAwait(false);
        }

        if (error is OperationCanceledException && timedOut.Value && !cancellationToken.IsCancellationRequested)
        {
            // As the engine's Polly timeout reports it: a timeout, not a cancellation.
            error = new TimeoutRejectedException(
                string.Create(CultureInfo.InvariantCulture, $"Strategy '{start.Provider.Name}' of '{options.OperationName}' timed out after {express.StrategyTimeout.TotalSeconds:0.###} s (attempt 1)."),
                express.StrategyTimeout, error);
        }

        return await Failed(error, start, activity, messages, chatOptions, inputTokens, fullRoute, cancellationToken).ConfigureAwait(false);
    }

    private static Exception ErrorOf(Task call)
    {
        try
        {
            call.GetAwaiter().GetResult();
            return new InvalidOperationException("The provider's call completed without a result.");
        }
#pragma warning disable CA1031 // The provider's failure is data here.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
    }

    /// <summary>
    /// Books the answer of <paramref name="call"/> (completed successfully) and marks its response. The provider's own task is
    /// handed back: the response it holds is the one marked, so a call that completed at once costs no task of ours.
    /// </summary>
    private Task<ChatResponse> Succeeded(Start start, Task<ChatResponse> call, Activity? activity)
    {
        var p = start.Provider;
        var response = call.Result;
        express.Succeeded(options.OperationName, p.Name, start.Circuit, start.Started, express.Time.GetTimestamp());
        start.Lease.Dispose();
        var cost = p.IsFree ? 0m : TokenEstimator.CostOf(p.Provider, response.Usage);
        ChatMetrics.Usage(p.Name, response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0, cost);
        if (activity is not null)
        {
            activity.SetTag("steadfast.cost", (double)cost);
            activity.Dispose();
        }

        ChatMetrics.Request(p.Name, "answered");
        if (response.AdditionalProperties is null && cost == 0m)
        {
            // A free answer's marks are the same every time: copied from the provider's template, with no key hashed.
            response.AdditionalProperties = new AdditionalPropertiesDictionary(FreeAnswerMarks(start.Index));
        }
        else
        {
            Mark(response, p.Name, cost);
        }

        // A provider this client had marked degraded is normal again: the mode manager hears it (the only await on this path).
        var served = modes.ServedAsync(p.Name);
        return served.IsCompletedSuccessfully ? call : AfterServedAsync(served, response);
    }

    /// <summary>The marks of a free express answer of provider <paramref name="index"/>, built on first use (its values are immutable).</summary>
    private Dictionary<string, object?> FreeAnswerMarks(int index)
    {
        if (Volatile.Read(ref _freeMarks[index]) is { } marks)
        {
            return marks;
        }

        // Published filled, with a release write: another thread never reads a half-built template. Two racing builders
        // make two equal templates; either serves.
        var provider = providers[index];
        marks = new Dictionary<string, object?>(5, StringComparer.OrdinalIgnoreCase)
        {
            [SteadfastChatProperties.Provider] = provider.Name,
            [SteadfastChatProperties.Cost] = BoxedZeroCost,
            [SteadfastChatProperties.Attempts] = BoxedOne,
            [SteadfastChatProperties.Degraded] = BoxedFalse,
            [SteadfastChatProperties.AttemptLog] = new ExpressAttemptLog(provider.Name, 0m),
        };
        Volatile.Write(ref _freeMarks[index], marks);
        return marks;
    }

    private static void Mark(ChatResponse response, string provider, decimal cost)
    {
        var boxedCost = cost == 0m ? BoxedZeroCost : cost;
        var log = new ExpressAttemptLog(provider, cost);
        if (response.AdditionalProperties is { } properties)
        {
            properties[SteadfastChatProperties.Provider] = provider;
            properties[SteadfastChatProperties.Cost] = boxedCost;
            properties[SteadfastChatProperties.Attempts] = BoxedOne;
            properties[SteadfastChatProperties.Degraded] = BoxedFalse;
            properties[SteadfastChatProperties.AttemptLog] = log;
        }
        else
        {
            // Built from an array, the dictionary is sized once for the five entries instead of growing twice.
            var entries = _entries ??= new KeyValuePair<string, object?>[5];
            entries[0] = new(SteadfastChatProperties.Provider, provider);
            entries[1] = new(SteadfastChatProperties.Cost, boxedCost);
            entries[2] = new(SteadfastChatProperties.Attempts, BoxedOne);
            entries[3] = new(SteadfastChatProperties.Degraded, BoxedFalse);
            entries[4] = new(SteadfastChatProperties.AttemptLog, log);
            response.AdditionalProperties = new AdditionalPropertiesDictionary(entries);
            Array.Clear(entries);
        }
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

    private ExpressRanking? Ranking(long now)
    {
        var ranking = Volatile.Read(ref _ranking);
        if (ranking is null || now >= ranking.ValidUntil)
        {
            ranking = ExpressRanking.Read(providers, express, blacklist, options.OperationName);
            Volatile.Write(ref _ranking, ranking);
        }

        return ranking.Usable ? ranking : null;
    }

    /// <summary>The full route, given the request's counted tokens (-1: not counted) and the express attempt's failure to replay.</summary>
    public delegate Task<ChatResponse> FullRoute(IReadOnlyList<ChatMessage> messages, ChatOptions? options, long inputTokens, ChatRequest.Replay? replay,
        CancellationToken cancellationToken);

    /// <summary>An admitted express call: its provider, the circuit permit and the limiter's lease.</summary>
    public readonly record struct Start(ProviderRuntime Provider, int Index, IEngineCircuit Circuit, ProviderLimiter.Lease Lease, long Started);

}
