namespace Steadfast.Redis.Core;

/// <summary>The Lua script of <see cref="RedisCircuitStateStore"/>'s shared probe limit: atomic on the server, one round trip.</summary>
internal static class RedisCircuitScripts
{
    /// <summary>
    /// Takes one probe permit of a round. KEYS[1] the round's counter (circuit and generation in the name); ARGV[1] the
    /// permits in the round, ARGV[2] the counter's lifetime in milliseconds (set by the first taker, so a finished round
    /// leaves nothing behind). Returns 1 when a permit was taken, 0 when the round's permits are gone.
    /// </summary>
    public const string TakeProbePermit = """
        local taken = redis.call('INCR', KEYS[1])
        if taken == 1 then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        if taken > tonumber(ARGV[1]) then
          return 0
        end
        return 1
        """;
}
