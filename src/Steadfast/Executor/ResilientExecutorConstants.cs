namespace Steadfast;

/// <summary>
/// The presets of <see cref="ResilientExecutor"/>, written once. They follow the seeds' threshold table (failure
/// threshold / cooldown / retry attempts): external API 5 / 30 s / 3, database 3 / 10 s / 2, AI provider 3 / 60 s / 2.
/// "Retry attempts" is the seeds' <c>max_attempts</c>, so it counts every attempt, the first included
/// (<see cref="RetryOptions.MaxAttempts"/>). Internal: a public <c>const</c> would compile into callers.
/// </summary>
internal static class ResilientExecutorConstants
{
    /// <summary>The name an executor gets when none is given.</summary>
    public const string DefaultName = "custom";

    /// <summary>External API: consecutive failures that open the circuit.</summary>
    public const int ApiFailureThreshold = 5;

    /// <summary>External API: how long the circuit stays open: 30 seconds.</summary>
    public static readonly TimeSpan ApiCooldown = TimeSpan.FromSeconds(30);

    /// <summary>External API: attempts in all.</summary>
    public const int ApiMaxAttempts = 3;

    /// <summary>External API: timeout of each attempt: 30 seconds.</summary>
    public static readonly TimeSpan ApiTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Database: consecutive failures that open the circuit.</summary>
    public const int DatabaseFailureThreshold = 3;

    /// <summary>Database: how long the circuit stays open: 10 seconds.</summary>
    public static readonly TimeSpan DatabaseCooldown = TimeSpan.FromSeconds(10);

    /// <summary>Database: attempts in all.</summary>
    public const int DatabaseMaxAttempts = 2;

    /// <summary>Database: timeout of each attempt: 10 seconds.</summary>
    public static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Database: the first retry waits 200 ms (a lock or failover clears quickly or not at all).</summary>
    public static readonly TimeSpan DatabaseInitialDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Database: the longest wait between attempts: 5 seconds.</summary>
    public static readonly TimeSpan DatabaseMaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>AI provider: consecutive failures that open the circuit.</summary>
    public const int AiProviderFailureThreshold = 3;

    /// <summary>AI provider: how long the circuit stays open: 60 seconds.</summary>
    public static readonly TimeSpan AiProviderCooldown = TimeSpan.FromSeconds(60);

    /// <summary>AI provider: attempts in all.</summary>
    public const int AiProviderMaxAttempts = 2;

    /// <summary>AI provider: timeout of each attempt: 120 seconds (long completions are normal).</summary>
    public static readonly TimeSpan AiProviderTimeout = TimeSpan.FromSeconds(120);

    /// <summary>AI provider: the first retry waits 2 seconds (providers throttle in bursts).</summary>
    public static readonly TimeSpan AiProviderInitialDelay = TimeSpan.FromSeconds(2);
}
