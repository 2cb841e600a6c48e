using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Steadfast.Tests.TestSupport;
using static Steadfast.Tests.Engine.EngineTestKit;

namespace Steadfast.Tests.Redaction;

/// <summary>
/// Secrets in what users' code throws never reach a store, a status or a log: each boundary is tested with the
/// message of the issue that found it, and with an ordinary message that must come through whole.
/// </summary>
public sealed class RedactionBoundaryTests : IDisposable
{
    private const string SecretMessage = "upstream said token=SECRET456 and eyJhbGciOiJIUzI1NiIs...";
    private static readonly string[] Secrets = ["SECRET456", "eyJhbGciOiJIUzI1NiIs"];
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task EngineWithPersistence_CircuitLastError_IsRedactedInStatusAndStoredSnapshot()
    {
        var time = NewTime();
        var options = Fast(o =>
        {
            o.EnablePersistence = true;
            o.PersistencePath = _db.File();
        });
        string? status;
        await using (var engine = new ResilienceEngine(options, timeProvider: time))
        {
            await engine.EnsureStartedAsync();
            await Drive(time, engine.ExecuteWithAlternativesAsync([Fails("primary", new HttpRequestException(SecretMessage), 1.0), Ok("backup", 0.5)], "fetch"));
            status = engine.CircuitBreakers.GetOrCreate("fetch/primary").GetStatus().LastError; // the engine names circuits operation/strategy
        }

        SqliteConnection.ClearAllPools();
        var stored = ReadLastErrors(_db.File());

        AssertRedacted(status);
        Assert.StartsWith("HttpRequestException: upstream said token=", status, StringComparison.Ordinal);
        Assert.NotEmpty(stored);
        Assert.All(stored, AssertRedacted);
    }

    [Fact]
    public async Task CircuitLastError_OrdinaryMessage_IsKeptWhole()
    {
        var store = new InMemoryCircuitStateStore();
        var registry = new CircuitBreakerRegistry(new CircuitBreakerOptions { FailureThreshold = 1 }, store, NewTime());
        var circuit = registry.GetOrCreate("svc");

        await Assert.ThrowsAsync<TimeoutException>(() => circuit.ExecuteAsync<int>(_ => throw new TimeoutException("no answer in 30 s")).AsTask());
        await registry.FlushAsync();

        Assert.Equal("TimeoutException: no answer in 30 s", circuit.GetStatus().LastError);
        Assert.Equal("TimeoutException: no answer in 30 s", (await store.LoadAsync("svc"))!.LastError);
    }

    [Fact]
    public async Task CircuitRestore_SnapshotWithARawSecret_ComesBackRedacted()
    {
        var store = new InMemoryCircuitStateStore();
        await store.SaveAsync(new CircuitBreakerSnapshot { Name = "svc", State = CircuitState.Closed, LastError = "IOException: " + SecretMessage, SavedAt = NewTime().GetUtcNow() });
        var registry = new CircuitBreakerRegistry(store: store, timeProvider: NewTime());

        await registry.RestoreAsync();

        AssertRedacted(registry.GetOrCreate("svc").GetStatus().LastError);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task DeadLetter_HandlerErrorWithASecret_IsStoredRedacted(string kind)
    {
        IQueueStore store = kind == "memory" ? new InMemoryQueueStore() : new SqliteQueueStore(_db.File("queue.db"));
        var queue = new DurableQueue<int>(store, new DurableQueueOptions { MaxDeliveryAttempts = 1 });
        await queue.EnqueueAsync(7);

        await queue.ProcessAsync((_, _) => throw new InvalidOperationException("password='hunter2' rejected; " + SecretMessage), workerCount: 1, stopWhenEmpty: true);

        var dead = Assert.Single(await queue.GetDeadLettersAsync());
        AssertRedacted(dead.LastError);
        Assert.DoesNotContain("hunter2", dead.LastError, StringComparison.Ordinal);
        Assert.Contains("rejected", dead.LastError, StringComparison.Ordinal); // the rest stays readable
    }

    [Fact]
    public async Task WorkflowStepError_WithASecret_IsStoredRedacted()
    {
        var runner = new WorkflowRunner(new SqliteCheckpointStore(_db.File("wf.db")));

        var result = await runner.RunAsync("w", 1, async (ctx, input, ct) =>
            await ctx.StepAsync("call", _ => Task.FromException<int>(new HttpRequestException("GET https://user:pa55@api.example.com failed; " + SecretMessage))));

        Assert.False(result.Success);
        var record = await runner.GetWorkflowAsync("w");
        AssertRedacted(record!.Error);
        Assert.DoesNotContain("pa55", record.Error, StringComparison.Ordinal);
        Assert.Contains("api.example.com failed", record.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analysis_OfFailuresThatWereNeverRedacted_IsRedacted()
    {
        var at = NewTime().GetUtcNow();
        var failures = Enumerable.Range(0, 5).Select(i => new Failure
        {
            Timestamp = at.AddSeconds(i), Operation = "op", ErrorType = "HttpRequestException", ErrorMessage = SecretMessage, Category = ErrorCategory.ServerError,
        }).ToList();

        var analysis = new FailureAnalyzer(timeProvider: NewTime()).AnalyzePattern(failures);

        AssertRedacted(analysis.RootCause.Description);
        Assert.All(analysis.Recommendations, AssertRedacted);
    }

    [Fact]
    public async Task ManualBlacklistReason_WithASecret_IsRedacted()
    {
        await using var analyzer = new FailureAnalyzer(timeProvider: NewTime());

        await analyzer.AddToBlacklistAsync("s", "op", "leaked api_key=sk-live-1234567890 in logs");

        var entry = analyzer.GetBlacklistEntry("s", "op");
        Assert.DoesNotContain("sk-live-1234567890", entry!.Reason, StringComparison.Ordinal);
        Assert.StartsWith("leaked api_key=", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_ExceptionWithASecret_ReachTheLoggerRedacted()
    {
        var logs = new CapturingLoggerFactory();
        var circuit = new Steadfast.CircuitBreaker("svc", new CircuitBreakerOptions { FailureThreshold = 1 }, NewTime(), logs);

        await Assert.ThrowsAsync<HttpRequestException>(() => circuit.ExecuteAsync<int>(_ => throw new HttpRequestException(SecretMessage, new IOException("inner password=hunter2"))).AsTask());

        var opened = Assert.Single(logs.Entries, e => e.Exception is not null);
        Assert.Contains("HttpRequestException", opened.Exception!.ToString(), StringComparison.Ordinal); // the original type is still named
        foreach (var text in new[] { opened.Message, opened.Exception.Message, opened.Exception.ToString() })
        {
            AssertRedacted(text);
            Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Logs_ExceptionWithoutASecret_IsLoggedAsItIs()
    {
        var logs = new CapturingLoggerFactory();
        var circuit = new Steadfast.CircuitBreaker("svc", new CircuitBreakerOptions { FailureThreshold = 1 }, NewTime(), logs);
        var thrown = new TimeoutException("no answer in 30 s");

        await Assert.ThrowsAsync<TimeoutException>(() => circuit.ExecuteAsync<int>(_ => throw thrown).AsTask());

        Assert.Same(thrown, Assert.Single(logs.Entries, e => e.Exception is not null).Exception);
    }

    [Fact]
    public void RedactingLogger_StructuredValues_AreRedactedAndTheTemplateKept()
    {
        var sink = new StateCapturingLogger();
        ILogger logger = new RedactingLogger(sink);

        logger.LogWarning("Blacklisted {Strategy}: {Reason}", "primary", "api_key=sk-live-1234567890");

        var state = Assert.IsAssignableFrom<IReadOnlyList<KeyValuePair<string, object?>>>(sink.State);
        Assert.Equal("primary", state.Single(p => p.Key == "Strategy").Value);
        Assert.Equal("api_key=[REDACTED]", state.Single(p => p.Key == "Reason").Value);
        Assert.Equal("Blacklisted {Strategy}: {Reason}", state.Single(p => p.Key == "{OriginalFormat}").Value);
        Assert.Equal("Blacklisted primary: api_key=[REDACTED]", sink.Message);
    }

    private static void AssertRedacted(string? text)
    {
        Assert.NotNull(text);
        foreach (var secret in Secrets.Append("sk-live-1234567890"))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    private static List<string?> ReadLastErrors(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_error FROM circuit_snapshots WHERE last_error IS NOT NULL;";
        using var reader = command.ExecuteReader();
        var errors = new List<string?>();
        while (reader.Read())
        {
            errors.Add(reader.GetString(0));
        }

        return errors;
    }

    private sealed class StateCapturingLogger : ILogger
    {
        public object? State { get; private set; }

        public string? Message { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            State = state;
            Message = formatter(state, exception);
        }
    }
}
