using System.Globalization;
using StackExchange.Redis;

namespace Steadfast.Redis.Learning;

/// <summary>Turns the statistics hash (<c>strategy␟operation|s</c>, <c>|f</c>, <c>|n</c>, <c>|l</c>, <c>|ls</c>, <c>|lf</c>) back into records.</summary>
internal static class RedisStatisticsReader
{
    public static IReadOnlyList<StrategyStatistics> Read(HashEntry[] fields, char separator)
    {
        var cells = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var name = (string)field.Name!;
            var bar = name.LastIndexOf('|');
            if (bar <= 0)
            {
                continue;
            }

            var key = name[..bar];
            if (!cells.TryGetValue(key, out var cell))
            {
                cells[key] = cell = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            cell[name[(bar + 1)..]] = (string)field.Value!;
        }

        var result = new List<StrategyStatistics>(cells.Count);
        foreach (var (key, cell) in cells)
        {
            var sep = key.IndexOf(separator, StringComparison.Ordinal);
            if (sep < 0)
            {
                continue;
            }

            var samples = Long(cell, "n");
            result.Add(new StrategyStatistics
            {
                StrategyName = key[..sep],
                Operation = key[(sep + 1)..],
                Successes = Long(cell, "s"),
                Failures = Long(cell, "f"),
                LatencySamples = samples,
                MeanLatency = samples == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Long(cell, "l") / samples),
                LastSuccessAt = Time(cell, "ls"),
                LastFailureAt = Time(cell, "lf"),
            });
        }

        return result;
    }

    private static long Long(Dictionary<string, string> cell, string name)
        => cell.TryGetValue(name, out var v) && long.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static DateTimeOffset? Time(Dictionary<string, string> cell, string name)
        => cell.TryGetValue(name, out var v) && long.TryParse(v, CultureInfo.InvariantCulture, out var ticks) ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
}
