namespace Steadfast.Chaos.Competitors;

/// <summary>How one call of a competitor ended: who served it, or why it failed.</summary>
internal readonly record struct CallResult(bool Success, string? ServedBy, string? Failure)
{
    public static CallResult Served(string provider) => new(true, provider, null);

    public static CallResult Failed(string reason) => new(false, null, reason);
}
