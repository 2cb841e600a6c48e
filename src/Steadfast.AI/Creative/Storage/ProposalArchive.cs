using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Steadfast.AI.Creative;

/// <summary>
/// Keeps the <see cref="ProposalBook"/> and an <see cref="ICreativeProposalStore"/> in step: accepted proposals and their
/// outcomes are written (redacted) as they happen; the store is read once when the solver first needs it (retried on the
/// next request when the store failed), and again for a name the engine's learning knows but the book does not. Storage
/// trouble is logged and recorded, never thrown: the solver then goes on with what it has in memory.
/// </summary>
internal sealed class ProposalArchive(
    ICreativeProposalStore store, ProposalBook book, ProposalRestorer restorer, CreativeRecorder recorder, int capacity, TimeProvider time, ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly HashSet<(string Operation, string Name)> _lookedUp = [];
    private Task? _load;

    /// <summary>Reads the store once; completes at once when done. A failed read is tried again on the next call.</summary>
    public Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_load is null || _load.IsFaulted || _load.IsCanceled)
            {
                _load = LoadAsync(cancellationToken);
            }

            return _load;
        }
    }

    public async ValueTask SaveAsync(string operation, Proposal proposal)
    {
        var now = time.GetUtcNow();
        var record = new CreativeProposalRecord(operation, proposal.StrategyName, proposal.ToolName, SecretRedactor.RedactText(proposal.CanonicalArguments))
        {
            Rationale = proposal.Rationale is null ? null : SecretRedactor.RedactText(proposal.Rationale),
            RecordedAt = now,
            UpdatedAt = now,
        };
        try
        {
            // Not the caller's token: a proposal accepted must be kept even when the execution ends right now.
            await store.SaveAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            Log.CreativeStoreFailed(logger, "save a proposal", e);
        }
    }

    public async ValueTask RecordOutcomeAsync(string operation, string name, bool succeeded)
    {
        try
        {
            await store.RecordOutcomeAsync(operation, name, succeeded, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            Log.CreativeStoreFailed(logger, "record an outcome", e);
        }
    }

    /// <summary>
    /// Reads the proposals the engine's learning has seen succeed for <paramref name="operation"/> that the book does not know
    /// (the book forgot them, or the start-up read was limited); each name is looked up once.
    /// </summary>
    public async Task FindUnknownAsync(string operation, IEnumerable<StrategyStatistics> learned, CancellationToken cancellationToken)
    {
        foreach (var statistics in learned)
        {
            var name = statistics.StrategyName;
            if (!name.StartsWith(CreativeConstants.StrategyPrefix, StringComparison.Ordinal) || statistics.Successes == 0 || book.Knows(operation, name))
            {
                continue;
            }

            lock (_lock)
            {
                // Bounded: past the capacity, unknown names are not looked up any more (the model is asked instead).
                if (_lookedUp.Count >= capacity || !_lookedUp.Add((operation, name)))
                {
                    continue;
                }
            }

            try
            {
                if (await store.GetAsync(operation, name, cancellationToken).ConfigureAwait(false) is { } record)
                {
                    Apply(record, out _);
                }
            }
            catch (StoreException e)
            {
                Log.CreativeStoreFailed(logger, "read a proposal", e);
            }
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await Task.Yield(); // the first request's caller does not run the read under _lock
        CreativeProposalSnapshot snapshot;
        try
        {
            snapshot = await store.LoadAsync(capacity, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            Log.CreativeStoreFailed(logger, "load the proposals", e);
            recorder.Record(CreativeEventKind.Restored, "*", reason: $"the proposal store could not be read ({e.Failure}): {e.Message}");
            throw;
        }

        var restored = 0;
        var skipped = new List<string>();
        foreach (var record in snapshot.Proposals.Reverse()) // oldest first: the book forgets its oldest first
        {
            if (Apply(record, out var refusal))
            {
                restored++;
            }
            else
            {
                skipped.Add($"{record.StrategyName}: {refusal}");
            }
        }

        if (restored + skipped.Count + snapshot.SkippedRows > 0)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"{restored} proposal(s) restored from {store}")
                + (snapshot.SkippedRows > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {snapshot.SkippedRows} unreadable row(s) skipped") : string.Empty)
                + (skipped.Count > 0 ? "; not reusable: " + string.Join("; ", skipped.Take(5)) : string.Empty);
            recorder.Record(CreativeEventKind.Restored, "*", reason: reason);
        }
    }

    /// <summary>Puts one stored proposal into the book; a failed one that cannot be rebuilt is still remembered as failed.</summary>
    private bool Apply(CreativeProposalRecord record, out string? refusal)
    {
        var (proposal, why) = restorer.Restore(record);
        refusal = why;
        if (proposal is not null)
        {
            book.Restore(record.Operation, proposal, record.LastSucceeded, record.Successes, record.Failures);
            return true;
        }

        if (record.LastSucceeded == false)
        {
            book.RestoreFailedName(record.Operation, record.StrategyName);
            return true;
        }

        return false;
    }
}
