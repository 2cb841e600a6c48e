using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Steadfast.AI;
using Steadfast.AI.Chat;

namespace Steadfast;

/// <summary>
/// An <see cref="IChatClient"/> that fails over across LLM providers, each a strategy of a <see cref="ResilienceEngine"/>: ranked
/// by what the engine learned, with its own circuit, blacklist and recovery probes, rate-limit deferral, bulkhead and quota, and
/// the cost budget. Errors are classified (see <see cref="ChatErrorKind"/>); when every provider is unavailable the configured
/// degraded response is returned (marked <c>steadfast.degraded</c>) or <see cref="AllProvidersUnavailableException"/> thrown.
/// </summary>
/// <remarks>
/// Responses carry <see cref="SteadfastChatProperties"/> in their <c>AdditionalProperties</c>. A streaming response fails over
/// only until its first update reaches the caller; a later failure surfaces as <see cref="ChatStreamInterruptedException"/> with
/// the updates streamed so far. The providers' clients are the caller's: this client does not dispose them.
/// </remarks>
public sealed class SteadfastChatClient : IChatClient, IAsyncDisposable
{
    private readonly SteadfastChatOptions _options;
    private readonly ResilienceEngine _engine;
    private readonly bool _ownsEngine;
    private readonly ChatRouter _router;
    private readonly ExpressRoute _express;
    private readonly ExpressRoute.FullRoute _fullRoute;
    private readonly ChatStreaming _streaming;
    private readonly IEventBus? _eventBus;
    private readonly ProviderModes _modes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ChatClientMetadata _metadata;
    private int _disposed;

    /// <summary>Creates the client.</summary>
    /// <param name="providers">The providers, in the order ties are broken; names must be unique.</param>
    /// <param name="options">The options; the defaults when <see langword="null"/>. Validated and copied.</param>
    /// <param name="engine">A shared engine; when <see langword="null"/> the client makes (and disposes) its own from <see cref="SteadfastChatOptions.Engine"/>.</param>
    /// <param name="modes">
    /// The operation modes: in <see cref="OperationMode.Emergency"/> only <see cref="ChatProvider.Essential"/> providers are used (the
    /// cheapest by estimate when none is), each provider is a component of the manager (degraded while its circuit is open or it is
    /// blacklisted, normal once it serves again), and an engine the client makes is given it. None when <see langword="null"/>.
    /// </param>
    /// <param name="eventBus">Where operator alerts (an <see cref="OperatorAlert"/> when a provider is blacklisted for its credentials) are published; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the quotas and of the engine the client makes; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where logs go; nowhere when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">No providers, duplicate names, or an invalid option or provider setting.</exception>
    public SteadfastChatClient(IEnumerable<ChatProvider> providers, SteadfastChatOptions? options = null, ResilienceEngine? engine = null,
        OperationModeManager? modes = null, IEventBus? eventBus = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        var copy = (options ?? new SteadfastChatOptions()).Clone();
        copy.Validate();
        _options = copy;
        var time = timeProvider ?? TimeProvider.System;
        var list = providers.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("At least one chat provider is needed.", nameof(providers));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in list)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(providers));
            p.Validate();
            if (!names.Add(p.Name))
            {
                throw new ArgumentException($"Chat provider names must be unique; '{p.Name}' appears twice.", nameof(providers));
            }
        }

        _logger = loggerFactory.CreateRedactingLogger<SteadfastChatClient>();
        _eventBus = eventBus;
        _time = time;
        _modes = new ProviderModes(modes);
        if (engine is null)
        {
            var engineOptions = copy.Engine?.Clone() ?? new ResilienceOptions { MaxAttempts = ChatConstants.DefaultAttemptsPerProvider };
            if (copy.MaxCostPerRequest is { } cap && cap < engineOptions.MaxApiCost)
            {
                engineOptions.MaxApiCost = cap;
            }

            engine = new ResilienceEngine(engineOptions, analyzer: null, time, loggerFactory, modes: modes);
            _ownsEngine = true;
        }

        _engine = engine;
        var runtimes = list.Select(p => new ProviderRuntime(p, new ProviderLimiter(p, time))).ToArray();
        var blacklist = new ProviderBlacklist(engine.Analyzer, copy.OperationName);
        _express = new ExpressRoute(runtimes, engine.Express, copy, blacklist, _modes);
        _router = new ChatRouter(runtimes, engine, copy, blacklist, _modes, AlertAsync, _express.Invalidate, _logger);
        _fullRoute = FullRouteAsync;
        _streaming = new ChatStreaming(_router, engine, copy, _logger);
        _metadata = new ChatClientMetadata(nameof(SteadfastChatClient));
        Providers = list;
    }

    /// <summary>Raised when a provider refused the client's credentials and was blacklisted (an operator alert). Handlers must not throw; if one does, it is logged.</summary>
    public event EventHandler<ProviderBlacklistedEventArgs>? ProviderBlacklisted;

    /// <summary>The providers, as given.</summary>
    public IReadOnlyList<ChatProvider> Providers { get; }

    /// <summary>The engine the providers run on (its analyzer holds their learning, its registry their circuits).</summary>
    public ResilienceEngine Engine => _engine;

    /// <summary>The express route of the happy path (internal: its counter tells tests which route a request took).</summary>
    internal ExpressRoute Express => _express;

    /// <summary>Whether the provider is blacklisted for an authentication failure.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <returns><see langword="true"/> while the entry exists.</returns>
    public bool IsProviderBlacklisted(string provider) => _router.Blacklist.IsBlocked(provider);

    /// <summary>Removes a provider's authentication blacklist entry (after its credentials were fixed).</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="cancellationToken">Cancels the store's update.</param>
    /// <returns><see langword="true"/> when an entry was removed.</returns>
    public Task<bool> ReinstateProviderAsync(string provider, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        _express.Invalidate();
        return _router.Blacklist.RemoveAsync(provider, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// When the provider the engine would try first is admitted at once, it is called directly (the express route: see docs/ai.md,
    /// "The fast path"); its first failure, and any request the express route does not take, runs the full engine route.
    /// </remarks>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);

        // Failover sends the same messages to several providers: they are read once here.
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToArray();
        return _express.TryStart(list, options, out var start, out var inputTokens)
            ? _express.RunAsync(start, list, options, inputTokens, _fullRoute, cancellationToken)
            : FullRouteAsync(list, options, inputTokens, null, cancellationToken);
    }

    private async Task<ChatResponse> FullRouteAsync(IReadOnlyList<ChatMessage> list, ChatOptions? options, long inputTokens, ChatRequest.Replay? replay,
        CancellationToken cancellationToken)
    {
        var request = new ChatRequest(list, options, inputTokens >= 0 ? inputTokens : TokenEstimator.EstimateInputTokens(list), cancellationToken);
        if (replay is not null)
        {
            request.SetReplay(replay);
        }

        var routed = await _router.RouteAsync<ChatResponse>(request, (p, lease, attempt, ct) => CallAsync(request, p, lease, attempt, ct)).ConfigureAwait(false);
        if (!routed.Success)
        {
            ChatMetrics.Request(null, "degraded");
            return Degraded(request, routed.Error);
        }

        var response = routed.Value!;
        var cost = TokenEstimator.CostOf(routed.Provider!.Provider, response.Usage);
        ChatMetrics.Request(routed.Provider.Name, "answered");
        var properties = response.AdditionalProperties ??= [];
        properties[SteadfastChatProperties.Provider] = routed.Provider.Name;
        properties[SteadfastChatProperties.Cost] = cost;
        properties[SteadfastChatProperties.Attempts] = request.Calls;
        properties[SteadfastChatProperties.Degraded] = false;
        properties[SteadfastChatProperties.AttemptLog] = request.Attempts();
        return response;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return StreamAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType == typeof(ResilienceEngine) ? _engine
            : null;
    }

    /// <summary>Stops the quota timers and disposes the engine if the client made it; the providers' clients are left alone.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var p in _router.Providers)
        {
            p.Limiter.Dispose();
        }

        if (_ownsEngine)
        {
            await _engine.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal ChatResponse Degraded(ChatRequest request, Exception? lastError)
    {
        var attempts = request.Attempts();
        Log.AllProvidersUnavailable(_logger, request.Calls);
        if (_options.ThrowWhenAllUnavailable)
        {
            throw new AllProvidersUnavailableException(
                $"Every chat provider is unavailable ({request.Calls} calls, {attempts.Count - request.Calls} skips); see Attempts.", attempts, lastError);
        }

        // The user is told when the system as a whole runs reduced: that explains the notice better than "try again".
        var mode = _modes.Mode;
        var text = mode == OperationMode.Normal ? _options.DegradedResponseText : $"{_options.DegradedResponseText} (operation mode: {mode})";
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            FinishReason = ChatFinishReason.Stop,
            AdditionalProperties = new()
            {
                [SteadfastChatProperties.Degraded] = true,
                [SteadfastChatProperties.Cost] = 0m,
                [SteadfastChatProperties.Attempts] = request.Calls,
                [SteadfastChatProperties.AttemptLog] = attempts,
            },
        };
        if (_modes.HasManager)
        {
            response.AdditionalProperties[SteadfastChatProperties.Mode] = mode;
        }

        return response;
    }

    private static ChatRequest NewRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        // Failover sends the same messages to several providers: they are read once here.
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToArray();
        return new ChatRequest(list, options, TokenEstimator.EstimateInputTokens(list), cancellationToken);
    }

    private static async Task<ChatResponse> CallAsync(ChatRequest request, ProviderRuntime p, ProviderLimiter.Lease lease, AttemptContext attempt, CancellationToken ct)
    {
        using (lease)
        using (var activity = ChatMetrics.StartAttempt(p.Name, p.Provider.ModelId ?? request.Options?.ModelId, streaming: false))
        {
            var response = await p.Provider.Client.GetResponseAsync(request.Messages, p.OptionsFor(request.Options), ct).ConfigureAwait(false);
            var cost = TokenEstimator.CostOf(p.Provider, response.Usage);

            // The engine charged the estimate when it admitted the attempt; what the usage shows beyond it is charged now.
            var estimate = TokenEstimator.EstimateCost(p.Provider, request.InputTokens, request.Options);
            if (cost > estimate)
            {
                attempt.ReportCost(cost - estimate);
            }

            request.Record(new ChatProviderAttempt(p.Name, true, null, null, cost), wasCall: true);
            ChatMetrics.Usage(p.Name, response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0, cost);
            activity?.SetTag("steadfast.cost", (double)cost);
            return response;
        }
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = NewRequest(messages, options, cancellationToken);
        await foreach (var update in _streaming.StreamAsync(request, this).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private async Task AlertAsync(ProviderBlacklistedEventArgs alert)
    {
        try
        {
            ProviderBlacklisted?.Invoke(this, alert);
            if (_eventBus is not null)
            {
                // High: the provider stays out until an operator fixes its key; the chat itself goes on with the others.
                var message = $"Chat provider '{alert.Provider}' refused its credentials and is blacklisted for '{alert.Operation}' until reinstated: {alert.Reason}";
                await _eventBus.PublishAsync(new OperatorAlert(alert.Provider, OperatorAlertKind.Problem, ErrorSeverity.High, message, _time.GetUtcNow(), 0))
                    .ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // An alert handler's or the bus's failure must not change the request's outcome.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.AlertHandlerFailed(_logger, e);
        }
    }
}
