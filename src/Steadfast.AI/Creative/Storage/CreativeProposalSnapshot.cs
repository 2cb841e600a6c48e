namespace Steadfast;

/// <summary>What <see cref="ICreativeProposalStore.LoadAsync"/> read.</summary>
/// <param name="Proposals">The readable proposals, most recently updated first.</param>
/// <param name="SkippedRows">Rows that could not be read (a missing or mistyped column: a file edited by hand or damaged); left in place, not returned.</param>
public sealed record CreativeProposalSnapshot(IReadOnlyList<CreativeProposalRecord> Proposals, int SkippedRows);
