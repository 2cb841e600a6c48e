using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Steadfast.AspNetCore.Endpoints.Events;
using Steadfast.AspNetCore.Endpoints.Json;

namespace Steadfast.AspNetCore.Endpoints.Api;

/// <summary><c>GET events</c>: the server-sent event stream (docs/web.md, "Live events").</summary>
internal sealed class EventApi(EventHub hub, EventSampler sampler, SteadfastSources sources)
{
    public IResult Stream(HttpContext http) => TypedResults.ServerSentEvents(ReadAsync(http.RequestAborted));

    private async IAsyncEnumerable<SseItem<string>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = hub.Subscribe();
        sampler.WatchAll();
        var hello = new HelloEvent(sources.Options.AllowMutations, sources.Options.EventInterval.TotalSeconds, sources.Time.GetUtcNow());
        yield return new SseItem<string>(JsonSerializer.Serialize(hello, SteadfastWebJsonContext.Default.HelloEvent), EventTypes.Hello);

        var reader = subscription.Reader;
        while (true)
        {
            bool more;
            try
            {
                more = await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break; // the browser went away
            }

            if (!more)
            {
                yield break; // the application is stopping
            }

            while (reader.TryRead(out var item))
            {
                yield return item;
            }
        }
    }
}
