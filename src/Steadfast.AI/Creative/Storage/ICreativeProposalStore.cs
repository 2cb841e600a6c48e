namespace Steadfast;

/// <summary>
/// Where <see cref="LlmCreativeSolver"/> keeps the proposals it accepted, under their stable strategy names, with the outcome
/// of their runs, so that after a restart a proposal that worked is reused without asking the model and one that failed is
/// not proposed again. <see cref="InMemoryCreativeProposalStore"/> keeps them for the life of the process,
/// <see cref="SqliteCreativeProposalStore"/> in a Steadfast SQLite file (the learning's file, when it uses one).
/// </summary>
/// <remarks>
/// Stores never see a secret: the solver redacts the arguments, the program and the rationale before it saves them (a
/// proposal whose arguments lose a secret to redaction is kept as a name only: its failures still count, it is not reused).
/// Failures are <see cref="StoreException"/>s; the solver logs them and goes on in memory.
/// </remarks>
public interface ICreativeProposalStore : IAsyncDisposable
{
    /// <summary>Keeps an accepted proposal; one already kept under the same operation and name keeps its outcomes.</summary>
    /// <param name="proposal">The proposal, redacted.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the proposal is stored.</returns>
    /// <exception cref="StoreException">The store could not write it.</exception>
    ValueTask SaveAsync(CreativeProposalRecord proposal, CancellationToken cancellationToken = default);

    /// <summary>Records how a run of the proposal <paramref name="strategyName"/> ended; nothing happens when it is not kept.</summary>
    /// <param name="operation">The operation it ran for.</param>
    /// <param name="strategyName">Its stable name, <c>creative:&lt;tool&gt;:&lt;hash&gt;</c>.</param>
    /// <param name="succeeded">Whether the run succeeded.</param>
    /// <param name="at">When it ended.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the outcome is stored.</returns>
    /// <exception cref="StoreException">The store could not write it.</exception>
    ValueTask RecordOutcomeAsync(string operation, string strategyName, bool succeeded, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Reads one proposal.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="strategyName">Its stable name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The proposal, or <see langword="null"/> when none is kept under that name.</returns>
    /// <exception cref="StoreException">The store could not read it, or its row is unreadable (<see cref="StoreFailure.Corrupt"/>).</exception>
    ValueTask<CreativeProposalRecord?> GetAsync(string operation, string strategyName, CancellationToken cancellationToken = default);

    /// <summary>Reads the most recently updated proposals, for a solver that starts.</summary>
    /// <param name="limit">At most this many (at least 1).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The proposals, most recently updated first, and how many unreadable rows were skipped.</returns>
    /// <exception cref="StoreException">The store could not be read at all.</exception>
    ValueTask<CreativeProposalSnapshot> LoadAsync(int limit, CancellationToken cancellationToken = default);
}
