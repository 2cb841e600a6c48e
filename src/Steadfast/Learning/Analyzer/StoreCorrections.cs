namespace Steadfast;

/// <summary>
/// What the store must be told after a load was merged underneath this process's decisions (see
/// <see cref="LearningState.MergeLoaded"/>): stored automatic entries that a success recorded here has lifted, and
/// entries that must replace the ones this process wrote before it knew the stored ones.
/// </summary>
/// <param name="Lifted">Entries to remove from the store, before anything written later.</param>
/// <param name="Rewritten">Entries to write, after what this process already queued.</param>
internal sealed record StoreCorrections(IReadOnlyList<BlacklistEntry> Lifted, IReadOnlyList<BlacklistEntry> Rewritten)
{
    public static readonly StoreCorrections None = new([], []);
}
