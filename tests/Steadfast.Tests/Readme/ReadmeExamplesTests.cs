// The C# examples of README.md live here, one test per example, as close to the README's text as a test allows
// (local fakes for the services, temp-dir SQLite files instead of data/, a fake clock where the code would wait).
// Keep them in sync: when you change an example in the README, change it here too, and the other way round.
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace Steadfast.Tests.Readme;

using CircuitBreaker = global::Steadfast.CircuitBreaker;   // Steadfast.Tests.CircuitBreaker is a namespace

public sealed class ReadmeExamplesTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    // README: "A resilient call"
    [Fact]
    public async Task SimpleResilientCall_ServiceFailsTwice_SucceedsOnTheThirdAttempt()
    {
        var api = new FakeUserApi(failuresBeforeSuccess: 2);
        Task<User> FetchUserAsync(int id, CancellationToken ct) => api.FetchAsync(id, ct);

        await using var engine = new ResilienceEngine(new ResilienceOptions
        {
            MaxAttempts = 5,                          // attempts per strategy, the first included
            EnablePersistence = true,                 // learn across restarts (SQLite)
            PersistencePath = _temp.File("failures.db"),
        }, timeProvider: _time);
        await engine.EnsureStartedAsync();   // test only: the fake clock is driven, so let the start-up's real I/O (SQLite) finish first

        ResilienceResult<User> result = await Drive(engine.ExecuteAsync(
            ct => FetchUserAsync(123, ct),
            operationName: "fetch_user_data",
            context: new Dictionary<string, object?> { ["endpoint"] = "/users/123", ["method"] = "GET" }));

        string line;
        if (result.Success)
        {
            line = $"User: {result.Value!.Name} ({result.AttemptCount} attempts in {result.Duration})";
        }
        else
        {
            line = $"Failed ({result.StopReason}): {result.Error?.Message}";
            foreach (var recommendation in result.Recommendations)
            {
                line += $"\n  - {recommendation}";
            }
        }

        Assert.True(result.Success);
        Assert.Equal(StopReason.Succeeded, result.StopReason);
        Assert.Equal("Ada", result.Value!.Name);
        Assert.Equal(3, result.AttemptCount);
        Assert.Equal(2, result.FailedAttempts);
        Assert.StartsWith("User: Ada (3 attempts", line, StringComparison.Ordinal);
    }

    // README: "Several providers: fall back, race or hedge them"
    [Fact]
    public async Task MultiProviderFallback_PrimaryDown_SecondaryAnswersSequentiallyAndInTheRace()
    {
        var primaryApi = new FakeWeatherApi("primary", down: true);
        var secondaryApi = new FakeWeatherApi("secondary", down: false);
        var cache = new Dictionary<string, Weather> { ["weather"] = new("cache", 18.0) };

        await using var engine = new ResilienceEngine(timeProvider: _time);

        var strategies = new[]
        {
            new Strategy<Weather>("primary", ct => primaryApi.FetchAsync(ct), Priority: 1.0, Description: "Primary API provider"),
            new Strategy<Weather>("secondary", ct => secondaryApi.FetchAsync(ct), Priority: 0.8),
            new Strategy<Weather>("cache", ct => Task.FromResult(cache["weather"]), Priority: 0.3),
        };

        // Sequential (the default): the best-ranked ready strategy; while one backs off, the next ready one runs.
        var result = await Drive(engine.ExecuteWithAlternativesAsync(strategies, "fetch_weather_data"));

        // Race: up to MaxParallelStrategies at once; the first success wins, the others are cancelled (also: parallel: true).
        var fastest = await Drive(engine.ExecuteWithAlternativesAsync(strategies, "fetch_weather_data", ExecutionMode.Race));
        var line = $"{fastest.StrategyUsed} answered: {fastest.Value!.TemperatureC} °C after {fastest.AttemptCount} attempts";

        // Hedged: the best first; the next only if no answer came within the hedge delay (adaptive: the leader's recent p90).
        var hedged = await Drive(engine.ExecuteWithAlternativesAsync(strategies, "fetch_weather_data", ExecutionMode.Hedged));

        Assert.True(result.Success);
        Assert.Equal("secondary", result.StrategyUsed);
        Assert.Equal("secondary", result.Value!.Source);
        Assert.True(result.FailedAttempts >= 1);
        Assert.True(primaryApi.Calls >= 1);
        Assert.True(fastest.Success);
        Assert.NotEqual("primary", fastest.StrategyUsed);
        Assert.StartsWith($"{fastest.StrategyUsed} answered:", line, StringComparison.Ordinal);
        Assert.True(hedged.Success);
        Assert.NotEqual("primary", hedged.StrategyUsed);
    }

    // README: "Several providers: fall back, race or hedge them" (the HTTP provider)
    [Fact]
    public async Task HttpProvider_503WithRetryAfter_ThrowsServiceExceptionAndTheEngineWaitsTheHint()
    {
        using var http = new HttpClient(new ScriptedHttpHandler(
            Respond(HttpStatusCode.ServiceUnavailable, retryAfterSeconds: 2),
            Respond(HttpStatusCode.OK, json: """{"source":"weather_api","temperatureC":21.5}""")));
        await using var engine = new ResilienceEngine(timeProvider: _time);

        var weatherApi = new Strategy<Weather>("weather_api", async ct =>
        {
            using var response = await http.GetAsync("https://api.example.com/weather?city=Oslo", ct);
            response.EnsureSuccessOrThrowServiceException();     // not 2xx: throws ServiceException with StatusCode and RetryAfter
            return (await response.Content.ReadFromJsonAsync<Weather>(ct))!;
        });

        var result = await Drive(engine.ExecuteWithAlternativesAsync([weatherApi], "fetch_weather_data"));

        Assert.True(result.Success);
        Assert.Equal(new Weather("weather_api", 21.5), result.Value);
        var failure = Assert.IsType<ServiceException>(result.Attempts[0].Error);
        Assert.Equal(503, failure.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), failure.RetryAfter);
        Assert.Equal("HTTP 503 (Service Unavailable) from GET https://api.example.com/weather?city=Oslo; retry after 2 s.", failure.Message);
        Assert.True(result.Attempts[1].StartedAt - result.Attempts[0].StartedAt >= TimeSpan.FromSeconds(2));
    }

    // README: "The failure dashboard (analytics, patterns, blacklist)"
    [Fact]
    public async Task AnalyticsDashboard_AfterFailures_ShowsTotalsPatternAndBlacklist()
    {
        var dbPath = _temp.File("failures.db");
        var providerX = new FakeWeatherApi("provider_x", down: true);

        await using var analyzer = new FailureAnalyzer(patternThreshold: 3, enablePersistence: true, dbPath: dbPath, timeProvider: _time);
        await using var engine = new ResilienceEngine(analyzer: analyzer, timeProvider: _time);   // the engine records every attempt here
        await engine.EnsureStartedAsync();   // test only: the fake clock is driven, so let the start-up's real I/O (SQLite) finish first
        await Drive(engine.ExecuteWithAlternativesAsync(
            [new Strategy<Weather>("provider_x", ct => providerX.FetchAsync(ct))], "fetch_data"));

        FailureAnalytics analytics = await analyzer.GetAnalyticsAsync();
        var dashboard = new List<string>
        {
            "FAILURE ANALYTICS DASHBOARD",
            $"Total failures: {analytics.TotalFailures}",
            $"Blacklisted strategies: {analytics.BlacklistedStrategies}",
        };
        foreach (var error in analytics.MostCommonErrors.Take(5))
        {
            dashboard.Add($"  {error.ErrorType}: {error.Count} times");
        }

        foreach (var op in analytics.ProblematicOperations.Take(5))
        {
            dashboard.Add($"  {op.Operation}: {op.FailureCount} failures");
        }

        foreach (var day in analytics.DailyTrends)
        {
            dashboard.Add($"  {day.Date:yyyy-MM-dd}: {new string('█', (int)Math.Min(day.Count, 50))} ({day.Count})");
        }

        FailureAnalysis analysis = analyzer.AnalyzePattern("fetch_data");
        dashboard.Add($"Pattern: {analysis.Pattern}; root cause: {analysis.RootCause.Description}");
        dashboard.AddRange(analysis.Recommendations);

        // The blacklist: filled automatically after repeated failures, or by hand.
        var skipped = analyzer.IsStrategyBlacklisted("provider_x", "fetch_data");
        await analyzer.AddToBlacklistAsync("failing_provider", "api_call", "Repeated timeout errors", expiresAfter: TimeSpan.FromDays(1));
        var entries = new List<string>();
        foreach (var entry in await analyzer.GetBlacklistAsync())
        {
            entries.Add($"{entry.StrategyName}/{entry.Operation}: {entry.Reason}, {entry.FailureCount} failures");
        }

        var removed = await analyzer.RemoveFromBlacklistAsync("failing_provider", "api_call");
        int deleted = await analyzer.CleanupOldFailuresAsync(days: 30);   // weekly; or `steadfast cleanup --days 30`

        Assert.Equal(5, analytics.TotalFailures);                     // MaxAttempts (5) attempts, all failed
        Assert.Equal(1, analytics.BlacklistedStrategies);             // 5 failures in 10 min: blacklisted automatically
        Assert.Contains("  ServiceException: 5 times", dashboard);
        Assert.Contains("  fetch_data: 5 failures", dashboard);
        Assert.Equal(FailurePattern.Repeating, analysis.Pattern);
        Assert.NotEmpty(analysis.Recommendations);
        Assert.True(skipped);
        Assert.Equal(2, entries.Count);
        Assert.Contains(entries, e => e.StartsWith("failing_provider/api_call: Repeated timeout errors", StringComparison.Ordinal));
        Assert.True(removed);
        Assert.Equal(0, deleted);                                     // nothing is 30 days old yet
        Assert.True(File.Exists(dbPath));
    }

    // README: "Circuit breaker"
    [Fact]
    public async Task CircuitBreaker_FiveFailures_OpensFailsFastFallsBackAndWorksInRegistryAndPolly()
    {
        var openAi = new FakeChatApi();
        ValueTask<string> CallOpenAiAsync(string prompt, CancellationToken ct) => openAi.CompleteAsync(prompt, ct);
        var prompt = "hello";
        var cancellationToken = CancellationToken.None;

        var cb = new CircuitBreaker("openai-api", new CircuitBreakerOptions
        {
            FailureThreshold = 5,                          // consecutive failures that open it
            Cooldown = TimeSpan.FromSeconds(30),           // open -> half-open after this
            HalfOpenMaxCalls = 3,                          // probe calls admitted while half-open
            SuccessThreshold = 2,                          // successful probes that close it
            ShouldHandle = ex => ex is not ArgumentException,   // which exceptions count as failures
        }, _time);

        openAi.Down = true;
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<ServiceException>(() => cb.ExecuteAsync(ct => CallOpenAiAsync(prompt, ct), cancellationToken).AsTask());
        }

        string answer;
        try
        {
            answer = await cb.ExecuteAsync(ct => CallOpenAiAsync(prompt, ct), cancellationToken);
        }
        catch (CircuitOpenException ex)
        {
            answer = $"'{ex.CircuitName}' is open; retry in {ex.RetryAfter}";   // refused without calling the service
        }

        string reply = await cb.ExecuteAsync(
            ct => CallOpenAiAsync(prompt, ct),
            fallback: (error, ct) => ValueTask.FromResult("Service temporarily unavailable"),
            cancellationToken);

        CircuitBreakerStatus status = cb.GetStatus();     // Name, State, FailureCount, LastFailureAt, LastError, OpenedAt, RetryAfter
        CircuitBreakerMetrics metrics = cb.GetMetrics();  // TotalCalls, Successes, Failures, Rejections, SuccessRate

        Assert.Equal(5, openAi.Calls);                    // the two refused calls never reached the service
        Assert.StartsWith("'openai-api' is open; retry in 00:00:30", answer, StringComparison.Ordinal);
        Assert.Equal("Service temporarily unavailable", reply);
        Assert.Equal(CircuitState.Open, status.State);
        Assert.Equal(5, metrics.Failures);
        Assert.Equal(2, metrics.Rejections);

        // After the cooldown, probes close it again.
        openAi.Down = false;
        _time.Advance(TimeSpan.FromSeconds(30));
        await cb.ExecuteAsync(ct => CallOpenAiAsync(prompt, ct), cancellationToken);
        await cb.ExecuteAsync(ct => CallOpenAiAsync(prompt, ct), cancellationToken);
        Assert.Equal(CircuitState.Closed, cb.State);

        // One circuit per service, shared by every caller; its state survives restarts in SQLite.
        await using var registry = new CircuitBreakerRegistry(store: new SqliteCircuitStateStore(_temp.File("steadfast.db")), timeProvider: _time);
        await registry.RestoreAsync();
        var shared = registry.GetOrCreate("openai-api", new CircuitBreakerOptions { FailureThreshold = 3, Cooldown = TimeSpan.FromSeconds(60) });
        var lines = new List<string>();
        foreach (var s in registry.GetAllStatus())
        {
            lines.Add($"{s.Name}: {s.State}, {s.FailureCount} failures");
        }

        // The same breaker inside any Polly pipeline (also Microsoft.Extensions.Http.Resilience handlers).
        ResiliencePipeline pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new() { MaxRetryAttempts = 3 })
            .AddSteadfastCircuitBreaker(shared)
            .AddTimeout(TimeSpan.FromSeconds(10))
            .Build();
        string data = await pipeline.ExecuteAsync(ct => CallOpenAiAsync(prompt, ct), cancellationToken);

        Assert.Equal(["openai-api: Closed, 0 failures"], lines);
        Assert.Equal("answer to hello", data);
        Assert.Equal(1, shared.GetMetrics().Successes);
        Assert.Same(shared, registry.GetOrCreate("openai-api"));
    }

    // README: "Retry, timeout, rate limit"
    [Fact]
    public async Task RetryTimeoutRateLimit_AsInTheReadme_RetryRecoversTimeoutDefaultsRateLimitRejects()
    {
        var billing = new FakeBilling(failuresBeforeSuccess: 2);
        var legacyDb = new FakeLegacyDb();

        var retry = new RetryPolicy("billing", new RetryOptions
        {
            MaxAttempts = 5,                                   // attempts in all, the first included
            InitialDelay = TimeSpan.FromMilliseconds(200),     // 200 ms, 400 ms, 800 ms, ... (±25 % jitter)
            MaxDelay = TimeSpan.FromSeconds(10),
            RetryOn = { typeof(HttpRequestException), typeof(TimeoutException) },
        }, _time);
        Invoice invoice = await Drive(retry.ExecuteAsync(ct => billing.GetInvoiceAsync(42, ct)));
        int rows = retry.Execute(_ => legacyDb.Update("UPDATE invoices SET paid = 1"));   // blocking variant

        var soft = new TimeoutPolicy("suggest", new TimeoutOptions
        {
            Timeout = TimeSpan.FromMilliseconds(300),
            Behavior = TimeoutBehavior.ReturnDefault,           // instead of throwing OperationTimeoutException
            DefaultValue = Array.Empty<string>(),
        }, _time);
        string[] suggestions = await Drive(soft.ExecuteAsync(ct => SuggestAsync("ste", ct)));

        await using var limit = new RateLimitPolicy("geo-api", new RateLimitOptions
        {
            MaxConcurrentCalls = 8, QueueLength = 16,                                // bulkhead
            TokensPerPeriod = 50, ReplenishmentPeriod = TimeSpan.FromSeconds(1),     // token bucket
        }, _time);
        var rejected = 0;
        TimeSpan? retryAfter = null;
        for (var i = 0; i < 51; i++)
        {
            try
            {
                var city = await limit.ExecuteAsync(ct => LookupAsync("203.0.113.7", ct));
                Assert.Equal("Amsterdam", city);
            }
            catch (RateLimitRejectedException ex)
            {
                rejected++;
                retryAfter = ex.RetryAfter;                     // when a token is back (null for a full bulkhead)
            }
        }

        Assert.Equal(42, invoice.Id);
        Assert.Equal(3, billing.Calls);
        Assert.Equal(1, rows);
        Assert.Empty(suggestions);
        Assert.Equal(1, rejected);
        Assert.NotNull(retryAfter);
    }

    // README: "The Resilient Executor"
    [Fact]
    public async Task ResilientExecutorForApi_ServiceDown_ThreeAttemptsThenFallback()
    {
        var exchange = new FakeExchange();
        var cache = new FakeQuoteCache();
        var registry = new CircuitBreakerRegistry(timeProvider: _time);   // the README uses CircuitBreakerRegistry.Shared

        var executor = ResilientExecutor.ForApi("my-service", registry, _time);
        ExecutionResult<Quote> r = await Drive(executor.ExecuteAsync(
            ct => exchange.GetQuoteAsync("MSFT", ct),
            fallback: ct => cache.GetLastQuoteAsync("MSFT", ct)).AsTask());
        var line = r.Success
            ? $"{r.Value} after {r.Attempts} attempts{(r.UsedFallback ? " (from the fallback)" : "")}"
            : $"failed: {r.Error}";

        Assert.True(r.Success);
        Assert.True(r.UsedFallback);
        Assert.Equal(3, r.Attempts);
        Assert.Equal(3, exchange.Calls);
        Assert.Equal(new Quote("MSFT", 410.5m), r.Value);
        Assert.EndsWith("after 3 attempts (from the fallback)", line, StringComparison.Ordinal);
    }

    // README: "Dependency injection and configuration"
    [Fact]
    public async Task AddSteadfast_HostFromConfiguration_ResolvesEngineExecutorAndQueue()
    {
        // The README's appsettings.json, as the configuration a host would read (defaults off: no files, no real environment).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Steadfast:Engine:MaxAttempts"] = "3",
            ["Steadfast:Engine:MaxTotalAttempts"] = "10",
            ["Steadfast:Learning:BlacklistDuration"] = "00:15:00",
            ["Steadfast:CircuitBreaker:FailureThreshold"] = "5",
            ["Steadfast:Executors:payments:Timeout:Timeout"] = "00:00:05",
            ["Steadfast:Queues:invoices:MaxDeliveryAttempts"] = "3",
            ["Steadfast:Sqlite:BusyTimeout"] = "00:00:10",
        });
        builder.Services.AddSingleton<TimeProvider>(_time);

        builder.Services.AddSteadfast(builder.Configuration.GetSection("Steadfast"))
            .UseSqlite(_temp.File("steadfast.db"))             // learning, circuits, workflows and queues in one file
            .AddResilientExecutor("payments", ResilientExecutorOptions.ForApi, o => o.Retry!.MaxAttempts = 4)
            .AddDurableQueue<Invoice>("invoices");
        using var host = builder.Build();
        await host.StartAsync();                                // options validated, circuits restored, learning loaded

        var engine = host.Services.GetRequiredService<ResilienceEngine>();
        var executors = host.Services.GetRequiredService<ResilientExecutorProvider>();
        var invoices = host.Services.GetRequiredKeyedService<DurableQueue<Invoice>>("invoices");
        var api = new FakeUserApi(failuresBeforeSuccess: 2);
        Task<User> FetchUserAsync(int id, CancellationToken ct) => api.FetchAsync(id, ct);
        static ValueTask<string> ChargeAsync(CancellationToken ct) => ValueTask.FromResult("charged");
        var cancellationToken = CancellationToken.None;

        // in consumers, injected: ResilienceEngine, ResilientExecutorProvider, [FromKeyedServices("invoices")] DurableQueue<Invoice>, ...
        ResilienceResult<User> user = await Drive(engine.ExecuteAsync(ct => FetchUserAsync(123, ct), "fetch_user_data"));
        ExecutionResult<string> charged = await executors.Get("payments").ExecuteAsync(ct => ChargeAsync(ct), cancellationToken);
        await invoices.EnqueueAsync(new Invoice(1001), cancellationToken: cancellationToken);

        Assert.True(user.Success);
        Assert.Equal(3, user.AttemptCount);                                    // Engine:MaxAttempts = 3 was enough
        Assert.True(charged.Success);
        Assert.Equal("charged", charged.Value);
        var payments = executors.Get("payments");
        Assert.Equal(5, payments.CircuitBreaker!.Options.FailureThreshold);   // preset ForApi: 5 failures
        Assert.Equal(1, (await invoices.GetStatsAsync()).Pending);
        Assert.IsType<SqliteFailureStore>(engine.Analyzer!.Store);
        await host.StopAsync();
    }

    // README: "Durable work"
    [Fact]
    public async Task DurableWork_CheckpointWorkflowAndQueue_ResumeAndDeliver()
    {
        var payments = new FakePayments();
        var shipping = new FakeShipping();
        var mailer = new FakeMailer();

        await using var store = new SqliteCheckpointStore(_temp.File("workflows.db"));

        // Checkpoints: save progress, load it after a crash.
        await using (var checkpoint = new WorkflowCheckpoint<ResearchState>(store, "research-42", timeProvider: _time))
        {
            ResearchState state = await checkpoint.LoadAsync() ?? new ResearchState(Generation: 0);
            checkpoint.StartAutoCheckpoint(() => state);       // saves every AutoCheckpointInterval (60 s), and once more on stop
            state = state with { Generation = state.Generation + 1 };
            await checkpoint.SaveAsync(state);
        }

        await using (var again = new WorkflowCheckpoint<ResearchState>(store, "research-42", timeProvider: _time))
        {
            Assert.Equal(new ResearchState(1), await again.LoadAsync());
        }

        // Workflows: steps that completed are not run again when the same id runs again (after a crash, a deploy...).
        var runner = new WorkflowRunner(store, timeProvider: _time);
        Func<WorkflowContext, string, CancellationToken, Task<string>> order = async (wf, cartId, ct) =>
        {
            var charge = await wf.StepAsync("charge", c => payments.ChargeAsync(cartId, c));
            await wf.StepAsync("ship", c => shipping.ShipAsync(cartId, charge, c));
            return charge;
        };
        WorkflowResult<string> run = await runner.RunAsync("order-1001", "cart-1001", order);
        shipping.Down = true;   // a second run of the same id replays both steps: nothing is charged or shipped twice
        WorkflowResult<string> rerun = await runner.RunAsync("order-1001", "cart-1001", order);

        // Queue: items survive restarts; a failing item is delivered again, a poison one ends in the dead-letter list.
        await using var queueStore = new SqliteQueueStore(_temp.File("queue.db"), "emails");
        var queue = new DurableQueue<Email>(queueStore, timeProvider: _time);
        await queue.EnqueueAsync(new Email("ada@example.com", "Welcome"));
        await queue.ProcessAsync((email, ct) => mailer.SendAsync(email, ct), workerCount: 4, stopWhenEmpty: true);
        QueueStats stats = await queue.GetStatsAsync();

        Assert.True(run.Success);
        Assert.Equal("charge-cart-1001", run.Value);
        Assert.True(rerun.Success);
        Assert.Equal(2, rerun.StepsReplayed);
        Assert.Equal(1, payments.Charges);
        Assert.Equal(1, shipping.Shipments);
        Assert.Equal(["ada@example.com: Welcome"], mailer.Sent);
        Assert.Equal(new QueueStats(0, 0, 1, 0), stats);
    }

    /// <summary>Advances fake time in small steps until the task completes (retry waits, jitter, timeouts).</summary>
    private async Task<T> Drive<T>(Task<T> task)
    {
        for (var i = 0; !task.IsCompleted; i++)
        {
            Assert.True(i < 100_000, "The example did not complete while time was advanced.");
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Yield();
        }

        return await task;
    }

    private Task<T> Drive<T>(ValueTask<T> pending) => Drive(pending.AsTask());

    private static async ValueTask<string[]> SuggestAsync(string prefix, CancellationToken ct)
    {
        // A suggestion service that never answers in time. Not resumed on the test's synchronization context: the timeout's
        // cancellation then completes the call inside the fake clock's Advance, instead of waiting for a busy xunit worker
        // while Drive runs out of steps (seen once under a loaded run).
        await Task.Delay(Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
        return [prefix];
    }

    private static ValueTask<string> LookupAsync(string ip, CancellationToken ct) => ValueTask.FromResult("Amsterdam");

    public sealed record User(int Id, string Name);

    public sealed record Weather(string Source, double TemperatureC);

    public sealed record Invoice(int Id);

    public sealed record Quote(string Symbol, decimal Price);

    public sealed record ResearchState(int Generation);

    public sealed record Email(string To, string Subject);

    private static HttpResponseMessage Respond(HttpStatusCode status, int? retryAfterSeconds = null, string? json = null)
    {
        var response = new HttpResponseMessage(status);
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        if (json is not null)
        {
            response.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return response;
    }

    /// <summary>Answers requests with the given responses in order, without a network.</summary>
    private sealed class ScriptedHttpHandler(params HttpResponseMessage[] responses) : HttpMessageHandler
    {
        private int _next;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = responses[Math.Min(_next++, responses.Length - 1)];
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }

    private sealed class FakeUserApi(int failuresBeforeSuccess)
    {
        private int _calls;

        public Task<User> FetchAsync(int id, CancellationToken ct) =>
            ++_calls <= failuresBeforeSuccess
                ? Task.FromException<User>(new ServiceException("users: 503 Service Unavailable", 503))
                : Task.FromResult(new User(id, "Ada"));
    }

    private sealed class FakeWeatherApi(string name, bool down)
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<Weather> FetchAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            return down
                ? Task.FromException<Weather>(new ServiceException($"{name}: 503 Service Unavailable", 503))
                : Task.FromResult(new Weather(name, 21.5));
        }
    }

    private sealed class FakeChatApi
    {
        public bool Down { get; set; }

        public int Calls { get; private set; }

        public ValueTask<string> CompleteAsync(string prompt, CancellationToken ct)
        {
            Calls++;
            return Down
                ? ValueTask.FromException<string>(new ServiceException("openai: 503 Service Unavailable", 503))
                : ValueTask.FromResult($"answer to {prompt}");
        }
    }

    private sealed class FakeBilling(int failuresBeforeSuccess)
    {
        public int Calls { get; private set; }

        public ValueTask<Invoice> GetInvoiceAsync(int id, CancellationToken ct) =>
            ++Calls <= failuresBeforeSuccess
                ? ValueTask.FromException<Invoice>(new HttpRequestException("billing: connection reset"))
                : ValueTask.FromResult(new Invoice(id));
    }

    private sealed class FakeLegacyDb
    {
        public int Update(string sql) => sql.Length > 0 ? 1 : 0;
    }

    private sealed class FakeExchange
    {
        public int Calls { get; private set; }

        public ValueTask<Quote> GetQuoteAsync(string symbol, CancellationToken ct)
        {
            Calls++;
            return ValueTask.FromException<Quote>(new ServiceException($"exchange: 503 for {symbol}", 503));
        }
    }

    private sealed class FakeQuoteCache
    {
        public ValueTask<Quote> GetLastQuoteAsync(string symbol, CancellationToken ct) => ValueTask.FromResult(new Quote(symbol, 410.5m));
    }

    private sealed class FakePayments
    {
        public int Charges { get; private set; }

        public Task<string> ChargeAsync(string cartId, CancellationToken ct)
        {
            Charges++;
            return Task.FromResult($"charge-{cartId}");
        }
    }

    private sealed class FakeShipping
    {
        public bool Down { get; set; }

        public int Shipments { get; private set; }

        public Task<bool> ShipAsync(string cartId, string charge, CancellationToken ct)
        {
            if (Down)
            {
                return Task.FromException<bool>(new ServiceException("shipping: 503", 503));
            }

            Shipments++;
            return Task.FromResult(true);
        }
    }

    private sealed class FakeMailer
    {
        private readonly Lock _lock = new();

        public List<string> Sent { get; } = [];

        public Task SendAsync(Email email, CancellationToken ct)
        {
            lock (_lock)
            {
                Sent.Add($"{email.To}: {email.Subject}");
            }

            return Task.CompletedTask;
        }
    }
}
