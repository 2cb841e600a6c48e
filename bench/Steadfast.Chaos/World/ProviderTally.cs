namespace Steadfast.Chaos.World;

/// <summary>What one provider saw during a run, counted by the server.</summary>
/// <param name="Name">The provider.</param>
/// <param name="Requests">Requests received.</param>
/// <param name="RequestsWhileDown">Requests received while the provider was down (black-holed).</param>
/// <param name="Served">200 responses sent.</param>
/// <param name="RateLimited">429 responses sent.</param>
/// <param name="Unavailable">503 responses sent.</param>
/// <param name="Abandoned">Requests the client gave up on before an answer (black-holed ones, and cancelled losers of a race or hedge).</param>
internal sealed record ProviderTally(string Name, long Requests, long RequestsWhileDown, long Served, long RateLimited, long Unavailable, long Abandoned);
