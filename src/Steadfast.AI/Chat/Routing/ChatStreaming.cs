using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Steadfast.AI.Chat;

/// <summary>
/// Streaming through the engine: an attempt succeeds when the provider's first update arrives, so failover (ranking, retries,
/// races) happens only before output reaches the caller. After that the stream is the winner's alone; its failure surfaces as
/// <see cref="ChatStreamInterruptedException"/> with what was streamed so far, and is recorded for learning.
/// </summary>
internal sealed class ChatStreaming(ChatRouter router, ResilienceEngine engine, SteadfastChatOptions options, ILogger logger)
{
    public async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(ChatRequest request, SteadfastChatClient client)
    {
        Routed<StreamStart> routed = default;
        try
        {
            routed = await router.RouteAsync<StreamStart>(request, (p, lease, _, ct) => OpenAsync(request, p, lease, ct)).ConfigureAwait(false);
        }
        finally
        {
            // A race's losers may have opened their streams too: only the winner's is kept.
            foreach (var loser in request.OpenedExcept(routed.Value))
            {
                await loser.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (!routed.Success)
        {
            ChatMetrics.Request(null, "degraded");
            var degraded = client.Degraded(request, routed.Error);
            yield return new ChatResponseUpdate(ChatRole.Assistant, degraded.Text)
            {
                FinishReason = ChatFinishReason.Stop,
                AdditionalProperties = degraded.AdditionalProperties,
            };
            yield break;
        }

        var start = routed.Value!;
        await using (start.ConfigureAwait(false))
        {
            var provider = start.Provider;
            var streamed = new List<ChatResponseUpdate>();
            var usage = new UsageDetails();
            var update = start.First;
            while (update is not null)
            {
                if (streamed.Count == 0)
                {
                    var first = update.AdditionalProperties ??= [];
                    first[SteadfastChatProperties.Provider] = provider.Name;
                    first[SteadfastChatProperties.Degraded] = false;
                }

                streamed.Add(update);
                foreach (var content in update.Contents)
                {
                    if (content is UsageContent u)
                    {
                        usage.Add(u.Details);
                    }
                }

                yield return update;
                update = await NextAsync(request, start, streamed).ConfigureAwait(false);
            }

            var cost = TokenEstimator.CostOf(provider.Provider, usage);
            ChatMetrics.Usage(provider.Name, usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0, cost);
            ChatMetrics.Request(provider.Name, "answered");
            start.Activity?.SetTag("steadfast.cost", (double)cost);

            // A closing update with the request's figures: ToChatResponse() merges it into the response's AdditionalProperties.
            yield return new ChatResponseUpdate
            {
                Role = ChatRole.Assistant,
                AdditionalProperties = new()
                {
                    [SteadfastChatProperties.Provider] = provider.Name,
                    [SteadfastChatProperties.Cost] = cost,
                    [SteadfastChatProperties.Attempts] = request.Calls,
                    [SteadfastChatProperties.Degraded] = false,
                },
            };
        }
    }

    private async ValueTask<ChatResponseUpdate?> NextAsync(ChatRequest request, StreamStart start, List<ChatResponseUpdate> streamed)
    {
        try
        {
            return await start.Enumerator.MoveNextAsync().ConfigureAwait(false) ? start.Enumerator.Current : null;
        }
        catch (Exception error) when (error is not OperationCanceledException || !request.CallerToken.IsCancellationRequested)
        {
            var name = start.Provider.Name;
            Log.StreamInterrupted(logger, name, streamed.Count, error);
            engine.Analyzer?.RecordFailure(error, options.OperationName, strategy: name);
            ChatMetrics.Request(name, "interrupted");
            throw new ChatStreamInterruptedException(
                string.Create(CultureInfo.InvariantCulture, $"Chat provider '{name}' failed after {streamed.Count} streamed updates; there is no failover once output reached the caller."),
                name, streamed.ToArray(), error);
        }
    }

    private static async Task<StreamStart> OpenAsync(ChatRequest request, ProviderRuntime p, ProviderLimiter.Lease lease, CancellationToken attemptToken)
    {
        var activity = ChatMetrics.StartAttempt(p.Name, p.Provider.ModelId ?? request.Options?.ModelId, streaming: true);

        // The stream lives past the attempt: the attempt's token (timeout, lost race, phase end) governs it only until the first update.
#pragma warning disable CA2000 // Ownership passes to the StreamStart on success; the catch below disposes it otherwise.
        var stream = CancellationTokenSource.CreateLinkedTokenSource(request.CallerToken);
#pragma warning restore CA2000
        var registration = attemptToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), stream);
        IAsyncEnumerator<ChatResponseUpdate>? enumerator = null;
        try
        {
            enumerator = p.Provider.Client.GetStreamingResponseAsync(request.Messages, p.OptionsFor(request.Options), stream.Token).GetAsyncEnumerator(stream.Token);
            var any = await enumerator.MoveNextAsync().ConfigureAwait(false);
            await registration.DisposeAsync().ConfigureAwait(false);
            var start = new StreamStart(p, enumerator, any ? enumerator.Current : null, lease, stream, activity);
            request.Record(new ChatProviderAttempt(p.Name, true, null, null, 0m), wasCall: true);
            request.Opened(start);
            return start;
        }
        catch
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            if (enumerator is not null)
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }

            stream.Dispose();
            lease.Dispose();
            activity?.Dispose();
            throw;
        }
    }
}
