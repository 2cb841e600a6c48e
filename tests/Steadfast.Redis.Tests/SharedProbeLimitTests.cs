using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Steadfast.Redis.Tests;

/// <summary>
/// Two "machines" (two multiplexers, two stores, two registries) on one Redis, both half-open on the same opening: the
/// half-open probes are bounded across both by one Lua script per probe (<see cref="ICircuitProbeGate"/>).
/// </summary>
public sealed class SharedProbeLimitTests
{
    private static readonly CircuitBreakerOptions Options = new()
    {
        FailureThreshold = 1,
        HalfOpenMaxCalls = 2,
        SuccessThreshold = 2,
        Cooldown = TimeSpan.FromSeconds(30),
        CooldownGrowthFactor = 1,
    };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task TryAcquireAsync_TwoMachinesHalfOpen_AdmitAtMostHalfOpenMaxCallsInAll()
    {
        await using var machines = await TwoMachines.StartAsync(_time);
        var (onA, onB) = OpenBothOnOneOpening(machines, "provider_x");

        // Interleaved, three tries each: each machine alone would admit two (its local limit), four in all.
        var admitted = 0;
        for (var i = 0; i < 3; i++)
        {
            admitted += await onA.TryAcquireAsync() is null ? 1 : 0;
            admitted += await onB.TryAcquireAsync() is null ? 1 : 0;
        }

        Assert.Equal(2, admitted);
        Assert.Equal(CircuitState.HalfOpen, onA.State);
        Assert.Equal(CircuitState.HalfOpen, onB.State);
    }

    [Fact]
    public async Task ExecuteAsync_OtherMachineTookTheRoundsPermits_RefusedWithoutCallingButKeepsItsLocalSlots()
    {
        await using var machines = await TwoMachines.StartAsync(_time);
        var (onA, onB) = OpenBothOnOneOpening(machines, "provider_x");
        Assert.Null(await onA.TryAcquireAsync());
        Assert.Null(await onA.TryAcquireAsync());
        var calls = 0;

        var refused = await Assert.ThrowsAsync<CircuitOpenException>(async () => await onB.ExecuteAsync(_ => ValueTask.FromResult(++calls)));

        Assert.Equal(0, calls);
        Assert.Equal(CircuitState.HalfOpen, refused.State);

        // The refusal gave B's local slot back: A's probes close the circuit, its snapshot reaches B, and B calls again.
        onA.RecordSuccess();
        onA.RecordSuccess();
        Assert.Equal(CircuitState.Closed, onA.State);
        onB.Reset();
        Assert.Equal(1, await onB.ExecuteAsync(_ => ValueTask.FromResult(++calls)));
    }

    [Fact]
    public async Task TryAcquireAsync_NextRoundAfterTheProbesFailed_GetsFreshPermits()
    {
        await using var machines = await TwoMachines.StartAsync(_time);
        var (onA, onB) = OpenBothOnOneOpening(machines, "provider_x");
        Assert.Null(await onA.TryAcquireAsync());
        Assert.Null(await onA.TryAcquireAsync());
        Assert.NotNull(await onB.TryAcquireAsync());

        // A's probe fails: a new opening, a new cooldown, then a new round with its own permits.
        onA.RecordFailure(new TimeoutException("still dead"));
        Assert.Equal(CircuitState.Open, onA.State);
        _time.Advance(Options.Cooldown + TimeSpan.FromSeconds(1));

        Assert.Null(await onA.TryAcquireAsync());
        Assert.Null(await onA.TryAcquireAsync());
        Assert.NotNull(await onA.TryAcquireAsync()); // the local limit still holds within the round
    }

    [Fact]
    public async Task TryAcquireAsync_RedisDown_AdmitsByTheLocalLimit()
    {
        await using var server = await PrivateRedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await using var registry = new CircuitBreakerRegistry(Options, new RedisCircuitStateStore(redis), _time);
        var breaker = registry.GetOrCreate("provider_x");
        breaker.Restore(OpenSnapshot("provider_x"));
        _time.Advance(Options.Cooldown + TimeSpan.FromSeconds(1));
        await server.StopAsync();

        Assert.Null(await breaker.TryAcquireAsync());
        Assert.Null(await breaker.TryAcquireAsync());
        Assert.NotNull(await breaker.TryAcquireAsync());
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public async Task TryAcquireAsync_ClosedCircuit_AdmitsAtOnceWithoutAskingRedis()
    {
        await using var server = await PrivateRedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await using var registry = new CircuitBreakerRegistry(Options, new RedisCircuitStateStore(redis), _time);
        var breaker = registry.GetOrCreate("provider_x");
        await server.StopAsync();

        var admission = breaker.TryAcquireAsync();

        Assert.True(admission.IsCompletedSuccessfully);
        Assert.Null(await admission);
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task Engine_HalfOpenCircuitWhosePermitsAnotherMachineTook_SkipsTheStrategyOtherwiseCallsIt(bool otherMachineProbes, int expectedCalls)
    {
        await using var machines = await TwoMachines.StartAsync(_time);
        var (onA, _) = OpenBothOnOneOpening(machines, "fetch/primary");
        if (otherMachineProbes)
        {
            Assert.Null(await onA.TryAcquireAsync());
            Assert.Null(await onA.TryAcquireAsync());
        }

        // A refused probe's circuit is ready again only after its round (30 s on the fake clock): beyond the 1 s budget, so
        // the execution ends at once instead of waiting for time this test never advances.
        var engine = new ResilienceEngine(
            new ResilienceOptions { MaxAttempts = 1, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, EnableProgressTracking = false, MaxTotalTime = TimeSpan.FromSeconds(1) },
            timeProvider: _time, circuitBreakers: machines.B);
        var calls = 0;

        var result = await engine.ExecuteWithAlternativesAsync([new Strategy<string>("primary", _ => Task.FromResult(++calls + " call"))], "fetch")
            .AsTask().WaitAsync(TimeSpan.FromSeconds(30)); // a hang guard, not a timing assertion

        Assert.Equal(expectedCalls, calls);
        Assert.Equal(!otherMachineProbes, result.Success);
    }

    // Both machines apply the same opening of the circuit (as the store's snapshot would bring it), and its cooldown ends.
    private (CircuitBreaker OnA, CircuitBreaker OnB) OpenBothOnOneOpening(TwoMachines machines, string circuit)
    {
        var onA = machines.A.GetOrCreate(circuit);
        var onB = machines.B.GetOrCreate(circuit);
        var snapshot = OpenSnapshot(circuit);
        onA.Restore(snapshot);
        onB.Restore(snapshot);
        _time.Advance(Options.Cooldown + TimeSpan.FromSeconds(1));
        return (onA, onB);
    }

    private CircuitBreakerSnapshot OpenSnapshot(string name) => new()
    {
        Name = name,
        State = CircuitState.Open,
        OpenedAt = _time.GetUtcNow(),
        OpenUntil = _time.GetUtcNow() + Options.Cooldown,
        ConsecutiveOpenings = 1,
        ConsecutiveFailures = 1,
        SavedAt = _time.GetUtcNow(),
    };

    /// <summary>Two "machines" on the test server: a multiplexer, a Redis circuit store and a registry each, one key prefix.</summary>
    private sealed class TwoMachines : IAsyncDisposable
    {
        private readonly IConnectionMultiplexer _redisA;
        private readonly IConnectionMultiplexer _redisB;

        private TwoMachines(IConnectionMultiplexer redisA, IConnectionMultiplexer redisB, TimeProvider time)
        {
            var options = RedisTestServer.NewOptions();
            _redisA = redisA;
            _redisB = redisB;
            A = new CircuitBreakerRegistry(Options, new RedisCircuitStateStore(redisA, options), time);
            B = new CircuitBreakerRegistry(Options, new RedisCircuitStateStore(redisB, options), time);
        }

        public CircuitBreakerRegistry A { get; }

        public CircuitBreakerRegistry B { get; }

        public static async Task<TwoMachines> StartAsync(TimeProvider time) =>
            new(await RedisTestServer.NewConnectionAsync(), await RedisTestServer.NewConnectionAsync(), time);

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            _redisA.Dispose();
            _redisB.Dispose();
        }
    }
}
