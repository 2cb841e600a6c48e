namespace Steadfast.Redis.Learning;

/// <summary>The Lua scripts of <see cref="RedisFailureStore"/>: each runs atomically on the server, so two machines never double-count.</summary>
internal static class RedisFailureScripts
{
    /// <summary>
    /// Deletes failures. KEYS[1] data hash, KEYS[2] by-time index, KEYS[3] counts hash, then one by-operation index per
    /// failure; ARGV: id and count field per failure. A failure another cleanup already deleted is skipped, so counts stay right.
    /// </summary>
    public const string Delete = """
        local deleted = 0
        for i = 1, #ARGV, 2 do
          local id = ARGV[i]
          if redis.call('HDEL', KEYS[1], id) == 1 then
            deleted = deleted + 1
            redis.call('ZREM', KEYS[2], id)
            redis.call('ZREM', KEYS[4 + (i - 1) / 2], id)
            if redis.call('HINCRBY', KEYS[3], ARGV[i + 1], -1) <= 0 then
              redis.call('HDEL', KEYS[3], ARGV[i + 1])
            end
          end
        end
        return deleted
        """;

    /// <summary>
    /// Merges statistics increments. KEYS[1] the statistics hash; ARGV per increment: key, successes, failures, latency
    /// samples, latency ticks (mean × samples), last success ticks or '', last failure ticks or ''. Counts add up; the later
    /// of each time is kept (compared as equal-length decimal strings: exact, unlike Lua's doubles).
    /// </summary>
    public const string MergeStatistics = """
        local function later(field, value)
          if value == '' then return end
          local old = redis.call('HGET', KEYS[1], field)
          if (not old) or #value > #old or (#value == #old and value > old) then
            redis.call('HSET', KEYS[1], field, value)
          end
        end
        for i = 1, #ARGV, 7 do
          local k = ARGV[i]
          redis.call('HINCRBY', KEYS[1], k .. '|s', ARGV[i + 1])
          redis.call('HINCRBY', KEYS[1], k .. '|f', ARGV[i + 2])
          redis.call('HINCRBY', KEYS[1], k .. '|n', ARGV[i + 3])
          redis.call('HINCRBY', KEYS[1], k .. '|l', ARGV[i + 4])
          later(k .. '|ls', ARGV[i + 5])
          later(k .. '|lf', ARGV[i + 6])
        end
        return 1
        """;
}
