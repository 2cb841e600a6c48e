namespace Steadfast.Redis.Durable.Queue;

/// <summary>
/// The Lua scripts of <see cref="RedisQueueStore"/>. Each runs atomically on the server, so two workers (or machines) never
/// lease the same item. ARGV[1] is always the queue's key prefix (every key carries the queue's hash tag); KEYS[1] is one
/// of its keys so a cluster routes the script to the queue's node. Times are .NET ticks as decimal strings, compared as
/// strings of equal length (exact: Lua's doubles would lose the last digits), with millisecond scores only as an index.
/// </summary>
internal static class RedisQueueScripts
{
    /// <summary>The consumer group every priority stream has.</summary>
    public const string Group = "steadfast";

    private const string Common = """
        local q = ARGV[1]
        local g = 'steadfast'
        local function split(value)
          local c = string.find(value, ':', 1, true)
          return string.sub(value, 1, c - 1), string.sub(value, c + 1)
        end
        local function fields(list)
          local f = {}
          for i = 1, #list, 2 do f[list[i]] = list[i + 1] end
          return f
        end
        local function held(id, token)
          local lease = redis.call('HGET', q .. 'lease', id)
          if not lease then return false end
          local tok = split(lease)
          return tok == token
        end
        local function forget(id)
          redis.call('HDEL', q .. 'lease', id)
          redis.call('ZREM', q .. 'exp', id)
        end
        local function dead_letter(id, att, err, now)
          local prio, sid = split(redis.call('HGET', q .. 'loc', id))
          local s = q .. 's:' .. prio
          local entry = redis.call('XRANGE', s, sid, sid)[1]
          local f = fields(entry[2])
          local did = redis.call('XADD', q .. 'dead', '*', 'i', id, 'p', prio, 'a', att, 'e', err, 't', f['t'], 'dt', now, 'd', f['d'])
          redis.call('HSET', q .. 'deadidx', id, did)
          redis.call('XACK', s, g, sid)
          redis.call('XDEL', s, sid)
          redis.call('HDEL', q .. 'loc', id)
          redis.call('HDEL', q .. 'att', id)
          redis.call('HDEL', q .. 'err', id)
          redis.call('ZREM', q .. 'r:' .. prio, id)
          redis.call('DECR', q .. 'active')
        end
        local function requeue(id)
          local prio = split(redis.call('HGET', q .. 'loc', id))
          redis.call('ZADD', q .. 'r:' .. prio, id, id)
        end
        local function ensure_stream(s, prio)
          if redis.call('EXISTS', s) == 0 then redis.call('XGROUP', 'CREATE', s, g, '0', 'MKSTREAM') end
          redis.call('ZADD', q .. 'prios', prio, prio)
        end

        """;

    /// <summary>ARGV: prefix, max size, priority, enqueued-at ticks, payloads… Returns the ids, or nil when they do not all fit.</summary>
    public const string Enqueue = Common + """
        local n = #ARGV - 4
        local active = tonumber(redis.call('GET', q .. 'active') or '0')
        if active + n > tonumber(ARGV[2]) then return false end
        local prio = ARGV[3]
        local s = q .. 's:' .. prio
        ensure_stream(s, prio)
        redis.call('INCRBY', q .. 'active', n)
        local ids = {}
        for i = 5, #ARGV do
          local id = redis.call('INCR', q .. 'seq')
          local sid = redis.call('XADD', s, '*', 'i', id, 't', ARGV[4], 'd', ARGV[i])
          redis.call('HSET', q .. 'loc', id, prio .. ':' .. sid)
          ids[#ids + 1] = id
        end
        return ids
        """;

    /// <summary>
    /// ARGV: prefix, now ticks, now ms, lease expiry ticks, lease expiry ms, max attempts, max count, token, consumer.
    /// Expired leases first: dead-lettered on their last attempt, else made claimable again. Then, by priority (highest
    /// first): requeued items (XCLAIM from the pending entries list) and new ones (XREADGROUP). Returns per item: id,
    /// attempt, enqueued ticks, payload, last error or nil, priority.
    /// </summary>
    public const string Claim = Common + """
        local now = ARGV[2]
        local max_attempts = tonumber(ARGV[6])
        local max_count = tonumber(ARGV[7])
        local token = ARGV[8]
        local consumer = ARGV[9]
        local function le(a, b)
          if #a ~= #b then return #a < #b end
          return a <= b
        end
        for _, id in ipairs(redis.call('ZRANGEBYSCORE', q .. 'exp', '-inf', ARGV[3])) do
          local lease = redis.call('HGET', q .. 'lease', id)
          if lease then
            local _, expires = split(lease)
            if le(expires, now) then
              forget(id)
              local att = tonumber(redis.call('HGET', q .. 'att', id) or '0')
              if att >= max_attempts then
                local text = 'The lease expired on delivery ' .. att .. ' of ' .. att .. ' without the item being completed (its worker probably died).'
                local prev = redis.call('HGET', q .. 'err', id)
                if prev then text = text .. ' Previous error: ' .. prev end
                dead_letter(id, att, text, now)
              else
                requeue(id)
              end
            end
          else
            redis.call('ZREM', q .. 'exp', id)
          end
        end
        local out = {}
        local function take(id, prio, f)
          local att = redis.call('HINCRBY', q .. 'att', id, 1)
          redis.call('HSET', q .. 'lease', id, token .. ':' .. ARGV[4])
          redis.call('ZADD', q .. 'exp', ARGV[5], id)
          local err = redis.call('HGET', q .. 'err', id)
          out[#out + 1] = { id, att, f['t'], f['d'], err, prio }
        end
        for _, prio in ipairs(redis.call('ZREVRANGE', q .. 'prios', 0, -1)) do
          if #out >= max_count then break end
          local s = q .. 's:' .. prio
          for _, id in ipairs(redis.call('ZRANGE', q .. 'r:' .. prio, 0, max_count - #out - 1)) do
            redis.call('ZREM', q .. 'r:' .. prio, id)
            local _, sid = split(redis.call('HGET', q .. 'loc', id))
            local claimed = redis.call('XCLAIM', s, g, consumer, 0, sid)
            if #claimed > 0 and claimed[1] then take(id, prio, fields(claimed[1][2])) end
          end
          if #out < max_count then
            local read = redis.call('XREADGROUP', 'GROUP', g, consumer, 'COUNT', max_count - #out, 'STREAMS', s, '>')
            if read then
              for _, entry in ipairs(read[1][2]) do
                local f = fields(entry[2])
                take(f['i'], prio, f)
              end
            end
          end
        end
        return out
        """;

    /// <summary>ARGV: prefix, then id and token per lease. Returns 1 (completed) or 0 (lease not held) per lease.</summary>
    public const string Complete = Common + """
        local done = {}
        for i = 2, #ARGV, 2 do
          local id = ARGV[i]
          if held(id, ARGV[i + 1]) then
            local prio, sid = split(redis.call('HGET', q .. 'loc', id))
            local s = q .. 's:' .. prio
            redis.call('XACK', s, g, sid)
            redis.call('XDEL', s, sid)
            forget(id)
            redis.call('HDEL', q .. 'loc', id)
            redis.call('HDEL', q .. 'att', id)
            redis.call('HDEL', q .. 'err', id)
            redis.call('DECR', q .. 'active')
            redis.call('INCR', q .. 'completed')
            done[#done + 1] = 1
          else
            done[#done + 1] = 0
          end
        end
        return done
        """;

    /// <summary>ARGV: prefix, id, token, error, now ticks, max attempts. Returns 0 requeued, 1 dead-lettered, -1 lease lost.</summary>
    public const string Fail = Common + """
        local id = ARGV[2]
        if not held(id, ARGV[3]) then return -1 end
        forget(id)
        redis.call('HSET', q .. 'err', id, ARGV[4])
        local att = tonumber(redis.call('HGET', q .. 'att', id) or '0')
        if att >= tonumber(ARGV[6]) then
          dead_letter(id, att, ARGV[4], ARGV[5])
          return 1
        end
        requeue(id)
        return 0
        """;

    /// <summary>ARGV: prefix, id, token. Gives the item back without counting the delivery. Returns 1, or 0 when the lease is not held.</summary>
    public const string Release = Common + """
        local id = ARGV[2]
        if not held(id, ARGV[3]) then return 0 end
        forget(id)
        local att = tonumber(redis.call('HGET', q .. 'att', id) or '0')
        redis.call('HSET', q .. 'att', id, math.max(att - 1, 0))
        requeue(id)
        return 1
        """;

    /// <summary>ARGV: prefix, id, token, expiry ticks, expiry ms. Returns 1, or 0 when the lease is not held.</summary>
    public const string Renew = Common + """
        local id = ARGV[2]
        if not held(id, ARGV[3]) then return 0 end
        redis.call('HSET', q .. 'lease', id, ARGV[3] .. ':' .. ARGV[4])
        redis.call('ZADD', q .. 'exp', ARGV[5], id)
        return 1
        """;

    /// <summary>ARGV: prefix, id. Moves a dead letter back to its priority's stream with no attempts. Returns 1, or 0 when there is none.</summary>
    public const string Replay = Common + """
        local id = ARGV[2]
        local did = redis.call('HGET', q .. 'deadidx', id)
        if not did then return 0 end
        local entry = redis.call('XRANGE', q .. 'dead', did, did)[1]
        local f = fields(entry[2])
        local s = q .. 's:' .. f['p']
        ensure_stream(s, f['p'])
        local sid = redis.call('XADD', s, '*', 'i', id, 't', f['t'], 'd', f['d'])
        redis.call('HSET', q .. 'loc', id, f['p'] .. ':' .. sid)
        redis.call('HSET', q .. 'att', id, 0)
        redis.call('HSET', q .. 'err', id, f['e'])
        redis.call('INCR', q .. 'active')
        redis.call('XDEL', q .. 'dead', did)
        redis.call('HDEL', q .. 'deadidx', id)
        return 1
        """;

    /// <summary>ARGV: prefix. Deletes every dead letter. Returns how many.</summary>
    public const string Purge = Common + """
        local n = redis.call('XLEN', q .. 'dead')
        redis.call('DEL', q .. 'dead', q .. 'deadidx')
        return n
        """;
}
