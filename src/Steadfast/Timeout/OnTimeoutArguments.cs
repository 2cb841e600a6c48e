namespace Steadfast;

/// <summary>What <see cref="TimeoutOptions.OnTimeout"/> receives when an execution ran past its timeout and was cancelled.</summary>
/// <param name="Name">The timeout policy's (or executor's) name.</param>
/// <param name="Timeout">The timeout that elapsed.</param>
public readonly record struct OnTimeoutArguments(string Name, TimeSpan Timeout);
