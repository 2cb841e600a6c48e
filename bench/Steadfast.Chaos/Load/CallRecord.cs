namespace Steadfast.Chaos.Load;

/// <summary>One call as a caller saw it, timed from the run's start.</summary>
/// <param name="Started">When the call started.</param>
/// <param name="Ended">When the call returned.</param>
/// <param name="Success">Whether a provider served it.</param>
/// <param name="ServedBy">The provider that served it (its <c>X-Provider</c> header).</param>
/// <param name="Failure">Why it failed.</param>
internal sealed record CallRecord(TimeSpan Started, TimeSpan Ended, bool Success, string? ServedBy, string? Failure)
{
    public TimeSpan Latency => Ended - Started;
}
