using Microsoft.Extensions.Logging;
using Steadfast.AI.Creative;
using Steadfast.Sqlite;
using static Steadfast.Sqlite.SqliteValues;

namespace Steadfast;

/// <summary>
/// An <see cref="ICreativeProposalStore"/> in a Steadfast SQLite file, on the core's SQLite adapter: the file is marked as
/// Steadfast's and a foreign file is refused (<see cref="StoreFailure.Foreign"/>), stores on one file share one database and
/// its group-committed writer, the table is the versioned module <c>creative</c>, and every failure is a
/// <see cref="StoreException"/>. It shares the file of the learning when the application uses SQLite learning.
/// </summary>
/// <remarks>
/// A row with a missing or mistyped column (a file edited by hand or damaged) is skipped and counted by
/// <see cref="LoadAsync"/>, and is <see cref="StoreFailure.Corrupt"/> for <see cref="GetAsync"/>; it is never a crash.
/// </remarks>
public sealed class SqliteCreativeProposalStore : ICreativeProposalStore
{
    private const string Columns = "operation, strategy_name, tool, arguments, rationale, last_succeeded, successes, failures, recorded_at, updated_at";

    private static readonly SqliteSchemaModule Module = new("creative", """
        CREATE TABLE IF NOT EXISTS steadfast_creative_proposals (
            operation TEXT NOT NULL,
            strategy_name TEXT NOT NULL,
            tool TEXT NOT NULL,
            arguments TEXT NOT NULL,
            rationale TEXT NULL,
            last_succeeded INTEGER NULL,
            successes INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0,
            recorded_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (operation, strategy_name)
        ) WITHOUT ROWID;
        -- a starting solver reads the most recently used first
        CREATE INDEX IF NOT EXISTS ix_steadfast_creative_proposals_updated ON steadfast_creative_proposals (updated_at);
        """);

    private readonly SqliteStoreConnection _connection;

    /// <summary>Creates the store over a SQLite file. Does no I/O: the file is opened (and created) on first use.</summary>
    /// <param name="path">The file; its directory is created when missing.</param>
    /// <param name="loggerFactory">Where migrations are logged; nothing is logged when null.</param>
    public SqliteCreativeProposalStore(string path, ILoggerFactory? loggerFactory = null)
        : this(new SqliteStoreOptions { Path = path }, loggerFactory)
    {
    }

    /// <summary>Creates the store over a SQLite file. Does no I/O: the file is opened (and created) on first use.</summary>
    /// <param name="options">The file and its settings; validated and copied.</param>
    /// <param name="loggerFactory">Where migrations are logged; nothing is logged when null.</param>
    public SqliteCreativeProposalStore(SqliteStoreOptions options, ILoggerFactory? loggerFactory = null)
        => _connection = new SqliteStoreConnection(options, Module, nameof(SqliteCreativeProposalStore), loggerFactory);

    /// <summary>The full path of the file.</summary>
    public string Path => _connection.Path;

    /// <inheritdoc />
    public async ValueTask SaveAsync(CreativeProposalRecord proposal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        await _connection.WriteAsync("save a creative proposal", core => core.Execute(
            $"INSERT OR IGNORE INTO steadfast_creative_proposals ({Columns}) VALUES ($o, $n, $t, $a, $r, $l, $s, $f, $c, $u);",
            ("$o", proposal.Operation), ("$n", proposal.StrategyName), ("$t", proposal.Tool), ("$a", proposal.Arguments), ("$r", proposal.Rationale),
            ("$l", proposal.LastSucceeded is { } last ? (last ? 1L : 0L) : null), ("$s", proposal.Successes), ("$f", proposal.Failures),
            ("$c", Ticks(proposal.RecordedAt)), ("$u", Ticks(proposal.UpdatedAt))), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask RecordOutcomeAsync(string operation, string strategyName, bool succeeded, DateTimeOffset at, CancellationToken cancellationToken = default)
        => await _connection.WriteAsync("record a creative proposal's outcome", core => core.Execute("""
            UPDATE steadfast_creative_proposals
            SET last_succeeded = $l, successes = successes + $s, failures = failures + $f, updated_at = $u
            WHERE operation = $o AND strategy_name = $n;
            """,
            ("$l", succeeded ? 1L : 0L), ("$s", succeeded ? 1L : 0L), ("$f", succeeded ? 0L : 1L), ("$u", Ticks(at)), ("$o", operation), ("$n", strategyName)),
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<CreativeProposalRecord?> GetAsync(string operation, string strategyName, CancellationToken cancellationToken = default)
        => _connection.ReadAsync("read a creative proposal", c =>
        {
            using var command = Command(c, $"SELECT {Columns} FROM steadfast_creative_proposals WHERE operation = $o AND strategy_name = $n;",
                ("$o", operation), ("$n", strategyName));
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            return ProposalRow.Read(reader) ?? throw new StoreException(StoreFailure.Corrupt, _connection.Store, _connection.Path,
                $"The creative proposal {strategyName} of '{operation}' has a missing or mistyped column (the file was edited or damaged); "
                + "delete its row from steadfast_creative_proposals, or move the file aside.", null);
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CreativeProposalSnapshot> LoadAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return _connection.ReadAsync("load the creative proposals", c =>
        {
            using var command = Command(c, $"SELECT {Columns} FROM steadfast_creative_proposals ORDER BY updated_at DESC LIMIT $l;", ("$l", (long)limit));
            using var reader = command.ExecuteReader();
            var proposals = new List<CreativeProposalRecord>();
            var skipped = 0;
            while (reader.Read())
            {
                if (ProposalRow.Read(reader) is { } proposal)
                {
                    proposals.Add(proposal);
                }
                else
                {
                    skipped++;
                }
            }

            return new CreativeProposalSnapshot(proposals, skipped);
        }, cancellationToken);
    }

    /// <summary>Releases the file after the writes already accepted. Idempotent.</summary>
    /// <returns>A task that completes when the file is released.</returns>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => _connection.ToString();
}
