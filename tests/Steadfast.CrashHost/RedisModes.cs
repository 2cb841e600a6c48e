using StackExchange.Redis;
using Steadfast;

/// <summary>The crash host's Redis modes: two real processes sharing one Redis server.</summary>
internal static class RedisModes
{
    public static async Task<int> RunQueueAsync(string connection, string prefix, string log, int workers, int leaseMs, Action<string, string> report)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(connection);
        await using var store = new RedisQueueStore(redis, "crash", new RedisStoreOptions { KeyPrefix = prefix });
        return await QueueWork.RunAsync(store, log, workers, leaseMs, report);
    }

    public static async Task<int> RunCircuitAsync(string connection, string prefix, string circuit, string role)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(connection);
        var store = new RedisCircuitStateStore(redis, new RedisStoreOptions { KeyPrefix = prefix });
        await using var registry = new CircuitBreakerRegistry(new CircuitBreakerOptions { FailureThreshold = 1, Cooldown = TimeSpan.FromMinutes(5) }, store);
        var breaker = registry.GetOrCreate(circuit);
        if (role == "open")
        {
            breaker.RecordFailure(new TimeoutException("the provider is dead"));
            await registry.FlushAsync();
            Console.Out.WriteLine("opened");
            await Console.In.ReadToEndAsync(); // stay alive until the test is done
            return 0;
        }

        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        breaker.StateChanged += (_, e) =>
        {
            if (e.NewState == CircuitState.Open)
            {
                refused.TrySetResult();
            }
        };
        await store.ChangesSubscribed;
        Console.Out.WriteLine("ready");
        await refused.Task;
        try
        {
            await breaker.ExecuteAsync(_ => ValueTask.FromResult(0));
            Console.Out.WriteLine("called");
            return 1;
        }
        catch (CircuitOpenException)
        {
            Console.Out.WriteLine("refused");
            return 0;
        }
    }
}
