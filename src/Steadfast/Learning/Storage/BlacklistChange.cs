namespace Steadfast;

/// <summary>A blacklist entry another process added or replaced (<see cref="Entry"/> set) or removed (<see cref="Entry"/> null); see <see cref="IBlacklistChangeSource"/>.</summary>
/// <param name="StrategyName">The strategy.</param>
/// <param name="Operation">The operation.</param>
/// <param name="Entry">The entry now in force, or <see langword="null"/> when the entry was removed (or lifted by a successful probe).</param>
public sealed record BlacklistChange(string StrategyName, string Operation, BlacklistEntry? Entry);
