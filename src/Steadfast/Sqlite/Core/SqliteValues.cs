using Microsoft.Data.Sqlite;

namespace Steadfast.Sqlite;

/// <summary>How values go in and out of Steadfast's SQLite files, and commands for read connections.</summary>
internal static class SqliteValues
{
    /// <summary>A time as the durable tables keep it: UTC ticks.</summary>
    public static long Ticks(DateTimeOffset time) => time.UtcTicks;

    /// <summary>A time from UTC ticks.</summary>
    public static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>A time as the learning and circuit tables keep it: Unix milliseconds, or DBNull.</summary>
    public static object Milliseconds(DateTimeOffset? time) => (object?)time?.ToUnixTimeMilliseconds() ?? DBNull.Value;

    /// <summary>A nullable Unix-milliseconds column as a time.</summary>
    public static DateTimeOffset? FromMilliseconds(SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <summary>A command on a read connection, with its parameters bound.</summary>
    public static SqliteCommand Command(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
