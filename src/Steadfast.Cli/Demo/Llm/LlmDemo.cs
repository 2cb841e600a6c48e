using Microsoft.Extensions.AI;
using Spectre.Console;
using Steadfast.Caching;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Demo.Llm;

/// <summary>
/// <c>steadfast demo --scenario llm</c>: three simulated LLM providers behind a <see cref="SteadfastChatClient"/> with a
/// <see cref="SteadfastCache"/> (L1 memory, L2 SQLite) in front. The cheap provider has an outage, the partner has a small quota,
/// the premium one is expensive; for a moment all three are down and the degraded response is served. Runs on virtual time:
/// five questions a second from a pool of 24, so repeats hit the cache; one line a virtual second, then the report.
/// </summary>
internal static class LlmDemo
{
    private const int QuestionsPerSecond = 5;
    private const int QuestionPool = 24;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    public static async Task<LlmDemoReport> RunAsync(IAnsiConsole? live, TimeSpan duration, int seed, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        var clock = new VirtualClock(start);
        bool Between(DateTimeOffset now, double from, double until) =>
            now >= start + (duration * from) && now < start + (duration * until);

        using var cheap = new SimulatedLlm("cheap", clock, now => Between(now, 0.2, 0.6));
        using var partner = new SimulatedLlm("partner", clock, now => Between(now, 0.45, 0.55));
        using var premium = new SimulatedLlm("premium", clock, now => Between(now, 0.45, 0.55));
        var behaviours = new Dictionary<string, string>
        {
            ["cheap"] = "cheap; outage from 20% to 60% of the run",
            ["partner"] = "quota of 60 requests a minute",
            ["premium"] = "healthy, 10x the price",
        };

        var folder = Path.Combine(Path.GetTempPath(), "steadfast-llm-demo-" + Guid.NewGuid().ToString("N"));
        var store = new SqliteCacheStore(Path.Combine(folder, "cache.db"));
        var cache = new SteadfastCache(new SteadfastCacheOptions { MaxMemoryEntries = 8, DefaultTimeToLive = TimeSpan.FromMinutes(10) }, store, timeProvider: clock);

        // The providers are components of the operation mode: one down makes the system Degraded, all serving again Normal.
        using var modes = new OperationModeManager(timeProvider: clock);
        var notices = new List<string>();
        modes.ModeChanged += (_, e) => notices.Add($"Operation mode {e.Previous} -> {e.Current} at {(e.At - start).TotalSeconds:0.0}s.");
        var steadfast = new SteadfastChatClient(
            [
                new ChatProvider("cheap", cheap) { InputTokenPrice = 0.5e-6m, OutputTokenPrice = 1.5e-6m, Priority = 1.0 },
                new ChatProvider("partner", partner) { InputTokenPrice = 1e-6m, OutputTokenPrice = 3e-6m, RequestsPerMinute = 60, Priority = 0.9 },
                new ChatProvider("premium", premium) { InputTokenPrice = 5e-6m, OutputTokenPrice = 15e-6m, Priority = 0.8 },
            ],
            new SteadfastChatOptions
            {
                Engine = new ResilienceOptions { MaxAttempts = 1, RetryBudget = null, MaxTotalTime = Deadline },
                DegradedResponseText = "The assistant is briefly unavailable; your question was kept, please ask again in a moment.",
            },
            modes: modes,
            timeProvider: clock);
        var chat = new ChatClientBuilder(steadfast).UseSteadfastCache(cache).Build();

        var random = new Random(seed);
        var costs = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        var skips = new Dictionary<string, int>(StringComparer.Ordinal);
        var down = new HashSet<string>(StringComparer.Ordinal);
        int requests = 0, answered = 0, fromCache = 0, degraded = 0, failovers = 0;
        var step = TimeSpan.FromSeconds(1.0 / QuestionsPerSecond);
        var degradedSince = (DateTimeOffset?)null;
        try
        {
            for (var at = TimeSpan.Zero; at < duration && !cancellationToken.IsCancellationRequested; at += step)
            {
                await AdvanceToAsync(clock, start + at).ConfigureAwait(false);
                var question = $"Question {random.Next(QuestionPool)}: what does the contract say about renewals?";
                var response = await PumpAsync(clock, chat.GetResponseAsync(question, cancellationToken: cancellationToken)).ConfigureAwait(false);
                requests++;
                var props = response.AdditionalProperties;
                if (SteadfastCachingChatClient.IsCached(response))
                {
                    fromCache++;
                }
                else if (props?.TryGetValue(SteadfastChatProperties.Degraded, out var d) == true && d is true)
                {
                    degraded++;
                    degradedSince ??= clock.GetUtcNow();
                }
                else
                {
                    answered++;
                }

                if (!SteadfastCachingChatClient.IsCached(response) && props?.TryGetValue(SteadfastChatProperties.AttemptLog, out var log) == true && log is IReadOnlyList<ChatProviderAttempt> attempts)
                {
                    foreach (var a in attempts)
                    {
                        var into = a.Succeeded ? answers : a.Skipped ? (a.SkipReason!.StartsWith(SkipReasons.RateLimited, StringComparison.Ordinal) ? skips : null) : failures;
                        if (into is not null)
                        {
                            into[a.Provider] = into.GetValueOrDefault(a.Provider) + 1;
                        }

                        if (!a.Succeeded && !a.Skipped)
                        {
                            failovers++;
                        }

                        costs[a.Provider] = costs.GetValueOrDefault(a.Provider) + a.Cost;
                    }
                }

                if (degradedSince is { } since && props?.ContainsKey(SteadfastChatProperties.Degraded) == true && props[SteadfastChatProperties.Degraded] is false)
                {
                    notices.Add($"Degraded mode from {(since - start).TotalSeconds:0.0}s to {(clock.GetUtcNow() - start).TotalSeconds:0.0}s: every provider was down; the degraded response was served.");
                    degradedSince = null;
                }

                var recovered = Recovered(modes, down);
                foreach (var name in recovered)
                {
                    notices.Add($"Recovered: provider '{name}' serves again at {(clock.GetUtcNow() - start).TotalSeconds:0.0}s.");
                }

                if (live is not null && (requests % QuestionsPerSecond) == 0)
                {
                    var stats = cache.GetStatistics();
                    var mode = modes.CurrentMode == OperationMode.Normal ? "[green]Normal[/]" : $"[yellow]{modes.CurrentMode}[/]";
                    live.MarkupLine(
                        $"[grey]{(clock.GetUtcNow() - start).TotalSeconds,5:0}s[/] requests {requests,4}  answered {answered,4}  cached {fromCache,4}  degraded {degraded,3}  failovers {failovers,4}  L1 {stats.For(CacheLevel.Memory)!.HitRate,5:P0}  L2 {stats.For(CacheLevel.Disk)!.HitRate,5:P0}  mode {mode}"
                        + (down.Count == 0 ? string.Empty : $"  [yellow]down: {Markup.Escape(string.Join(", ", down.Order()))}[/]")
                        + (recovered.Count == 0 ? string.Empty : $"  [green]recovered: {Markup.Escape(string.Join(", ", recovered))}[/]")
                        + (degradedSince is null ? string.Empty : "  [red]DEGRADED: all providers down[/]"));
                }
            }

            if (degradedSince is { } open)
            {
                notices.Add($"Degraded mode from {(open - start).TotalSeconds:0.0}s to the end of the run.");
            }

            var final = await cache.GetStatisticsAsync(CancellationToken.None).ConfigureAwait(false);
            var providers = new[] { cheap, partner, premium }.Select(p => new LlmProviderLine(p.Name, behaviours[p.Name], p.Calls,
                answers.GetValueOrDefault(p.Name), failures.GetValueOrDefault(p.Name), skips.GetValueOrDefault(p.Name), costs.GetValueOrDefault(p.Name))).ToArray();
            var levels = final.Levels.Select(l => new LlmCacheLine(l.Level == CacheLevel.Memory ? "L1 memory" : "L2 SQLite", l.Hits, l.Misses, l.HitRate, l.Entries, l.Evictions)).ToArray();
            return new LlmDemoReport("llm", duration.TotalSeconds, requests, answered, fromCache, degraded, failovers, providers, levels, notices, modes.CurrentMode.ToString());
        }
        finally
        {
            chat.Dispose();
            await steadfast.DisposeAsync().ConfigureAwait(false);
            await cache.DisposeAsync().ConfigureAwait(false);
            await store.DisposeAsync().ConfigureAwait(false);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TryDelete(folder);
        }
    }

    public static void Render(IAnsiConsole console, LlmDemoReport report)
    {
        console.MarkupLineInterpolated($"[bold]LLM failover demo[/]: {report.Requests} requests over {report.VirtualSeconds:0}s of virtual time — {report.Answered} answered by a provider, {report.FromCache} from the cache, {report.Degraded} degraded; {report.Failovers} failovers; operation mode at the end: {report.FinalMode}.");
        var providers = new Table().AddColumns("provider", "behaviour", "calls", "answers", "failures", "quota skips", "cost");
        foreach (var p in report.Providers)
        {
            providers.AddRow(p.Name, p.Behaviour, $"{p.Calls}", $"{p.Answers}", $"{p.Failures}", $"{p.RateLimitedSkips}", $"{p.Cost:0.000000}");
        }

        console.Write(providers);
        var levels = new Table().AddColumns("cache level", "hits", "misses", "hit rate", "entries", "evictions");
        foreach (var l in report.CacheLevels)
        {
            levels.AddRow(l.Level, $"{l.Hits}", $"{l.Misses}", $"{l.HitRate:P1}", $"{l.Entries}", $"{l.Evictions}");
        }

        console.Write(levels);
        foreach (var notice in report.Notices)
        {
            console.MarkupLineInterpolated($"[yellow]{notice}[/]");
        }
    }

    /// <summary>Updates <paramref name="down"/> to the providers the mode manager holds degraded; returns those that left it (recovered).</summary>
    private static List<string> Recovered(OperationModeManager modes, HashSet<string> down)
    {
        var now = modes.GetDegradedComponents();
        var recovered = down.Where(name => !now.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        down.Clear();
        down.UnionWith(now.Keys);
        return recovered;
    }

    /// <summary>Moves virtual time to <paramref name="when"/>, firing every timer due before it on the way.</summary>
    private static async Task AdvanceToAsync(VirtualClock clock, DateTimeOffset when)
    {
        var wait = when - clock.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        var reached = false;
        using var marker = clock.CreateTimer(_ => reached = true, null, wait, Timeout.InfiniteTimeSpan);
        while (!reached && clock.TryFireNext())
        {
            await Task.Yield();
        }
    }

    /// <summary>Waits for a request; while it waits on a timer (a deferral, a deadline), virtual time jumps to it.</summary>
    private static async Task<T> PumpAsync<T>(VirtualClock clock, Task<T> task)
    {
        while (!task.IsCompleted)
        {
            // Real I/O (the SQLite level) gets a moment of real time before virtual time moves on, and virtual time moves only to
            // timers within the request's deadline: the request waits on those (a deferral), never on a circuit's or a probe's.
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System)).ConfigureAwait(false);
            if (!task.IsCompleted && clock.NextDue is { } due && due - clock.GetUtcNow() <= Deadline)
            {
                clock.TryFireNext();
            }
        }

        return await task.ConfigureAwait(false);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover temp folder is harmless
        }
    }
}
