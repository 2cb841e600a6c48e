namespace Steadfast;

/// <summary>What <see cref="RetryOptions.OnRetry"/> and <see cref="RetryPolicy.Retrying"/> receive before each wait.</summary>
/// <param name="Name">The retry policy's (or executor's) name.</param>
/// <param name="AttemptNumber">The attempt that just failed, counting from 1 for the first call.</param>
/// <param name="Delay">How long the policy waits before the next attempt.</param>
/// <param name="Duration">How long the failed attempt ran.</param>
/// <param name="Exception">Why the attempt failed.</param>
public readonly record struct OnRetryArguments(string Name, int AttemptNumber, TimeSpan Delay, TimeSpan Duration, Exception Exception);
