using Microsoft.Data.Sqlite;

namespace Steadfast.AI.Creative;

/// <summary>
/// Reads one row of <c>steadfast_creative_proposals</c> strictly: SQLite keeps any value in any column, and the provider
/// converts quietly (text to 0, a blob to text), so each column's storage class is checked; a row that does not fit is
/// <see langword="null"/> (skipped and counted), never a guess.
/// </summary>
internal static class ProposalRow
{
    public static CreativeProposalRecord? Read(SqliteDataReader reader)
    {
        if (reader.GetValue(0) is not string { Length: > 0 } operation
            || reader.GetValue(1) is not string name || !name.StartsWith(CreativeConstants.StrategyPrefix, StringComparison.Ordinal)
            || reader.GetValue(2) is not string { Length: > 0 } tool
            || reader.GetValue(3) is not string arguments
            || reader.GetValue(4) is not (string or DBNull)
            || reader.GetValue(5) is not (long or DBNull)
            || reader.GetValue(6) is not long successes || successes < 0
            || reader.GetValue(7) is not long failures || failures < 0
            || reader.GetValue(8) is not long recorded || !InRange(recorded)
            || reader.GetValue(9) is not long updated || !InRange(updated))
        {
            return null;
        }

        var last = reader.GetValue(5) as long?;
        if (last is not (null or 0 or 1))
        {
            return null;
        }

        return new CreativeProposalRecord(operation, name, tool, arguments)
        {
            Rationale = reader.GetValue(4) as string,
            LastSucceeded = last is null ? null : last == 1,
            Successes = successes,
            Failures = failures,
            RecordedAt = new DateTimeOffset(recorded, TimeSpan.Zero),
            UpdatedAt = new DateTimeOffset(updated, TimeSpan.Zero),
        };
    }

    private static bool InRange(long ticks) => ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks;
}
