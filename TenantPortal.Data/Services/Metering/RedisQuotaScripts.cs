namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The Lua scripts of <see cref="RedisQuotaTotals"/>. Every script of a tenant-month gets the same four keys: KEYS[1] the
/// entry (a hash: <c>w</c> the watermark, <c>api</c> and <c>gpu</c> the counters, or <c>b</c> a build's token while it
/// is being built), KEYS[2] and KEYS[3] the storage and studies readings (sorted sets of <c>ticks:id:quantity</c>, all
/// of score 0, so in (timestamp, id) order), KEYS[4] the batches added while the entry was being built. Ids and times are
/// zero-padded to 19 digits, so that comparing the strings compares the numbers; quantities are decimal strings added
/// digit by digit, so that sums stay exact whatever their size (Lua's numbers are doubles).
/// </summary>
internal static class RedisQuotaScripts
{
    // Shared functions: exact decimal addition, dropping readings superseded at a moment, and applying one batch's
    // payload ("minId maxId api gpu nStorage storage... nStudies studies...") to an entry of watermark w.
    private const string Functions = """
        local function dadd(a, b)
          local ai, af = string.match(a, '^(%d+)%.?(%d*)$')
          local bi, bf = string.match(b, '^(%d+)%.?(%d*)$')
          local n = math.max(#af, #bf)
          local x = ai .. af .. string.rep('0', n - #af)
          local y = bi .. bf .. string.rep('0', n - #bf)
          local r, carry, i, j = {}, 0, #x, #y
          while i > 0 or j > 0 or carry > 0 do
            local s = carry
            if i > 0 then s = s + string.byte(x, i) - 48; i = i - 1 end
            if j > 0 then s = s + string.byte(y, j) - 48; j = j - 1 end
            r[#r + 1] = string.char(48 + s % 10)
            carry = (s - s % 10) / 10
          end
          local digits = string.reverse(table.concat(r))
          if n == 0 then return digits end
          if #digits <= n then digits = string.rep('0', n - #digits + 1) .. digits end
          return string.sub(digits, 1, #digits - n) .. '.' .. string.sub(digits, #digits - n + 1)
        end
        local function trim(key, nowm)
          local top = redis.call('ZREVRANGEBYLEX', key, '[' .. nowm .. ':~', '-', 'LIMIT', 0, 1)
          if top[1] then redis.call('ZREMRANGEBYLEX', key, '-', '(' .. top[1]) end
        end
        local function apply(w, p, nowm)
          local t = {}
          for x in string.gmatch(p, '%S+') do t[#t + 1] = x end
          if t[2] <= w then return -1 end
          if t[1] <= w then return -2 end
          if t[3] ~= '0' then redis.call('HSET', KEYS[1], 'api', dadd(redis.call('HGET', KEYS[1], 'api') or '0', t[3])) end
          if t[4] ~= '0' then redis.call('HSET', KEYS[1], 'gpu', dadd(redis.call('HGET', KEYS[1], 'gpu') or '0', t[4])) end
          local i = 5
          for g = 2, 3 do
            local n = tonumber(t[i]); i = i + 1
            if n > 0 then
              for k = 1, n do redis.call('ZADD', KEYS[g], 0, t[i]); i = i + 1 end
              trim(KEYS[g], nowm)
              local ttl = redis.call('PTTL', KEYS[1])
              if ttl > 0 then redis.call('PEXPIRE', KEYS[g], ttl) end
            end
          end
          return 1
        end

        """;

    /// <summary>
    /// The quota check. ARGV: the field (<c>api</c>, <c>gpu</c>, or <c>g</c> for the gauge in KEYS[2]), now (ticks).
    /// Returns the use as a decimal string, or nil when the entry is missing or still being built.
    /// </summary>
    public const string Check = """
        local w = redis.call('HGET', KEYS[1], 'w')
        if not w then return false end
        if ARGV[1] == 'g' then
          local top = redis.call('ZREVRANGEBYLEX', KEYS[2], '[' .. ARGV[2] .. ':~', '-', 'LIMIT', 0, 1)
          if top[1] then return string.match(top[1], '^%d+:%d+:(.+)$') end
          return '0'
        end
        return redis.call('HGET', KEYS[1], ARGV[1]) or '0'
        """;

    /// <summary>
    /// Starts a build. ARGV: a token, how long the build may take (ms). Returns 1 when this build owns the entry, 0 when it
    /// is built already, 2 when another build is under way.
    /// </summary>
    public const string Begin = """
        if redis.call('HEXISTS', KEYS[1], 'w') == 1 then return 0 end
        if redis.call('HEXISTS', KEYS[1], 'b') == 1 then return 2 end
        redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
        redis.call('HSET', KEYS[1], 'b', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    /// <summary>
    /// Completes a build with the database's snapshot, then applies the batches added meanwhile that the snapshot does not
    /// hold. ARGV: token, lifetime (s), now (ticks), watermark, api, gpu, nStorage, storage..., nStudies, studies...
    /// Returns 1 when written, 0 when the build lost the entry (deleted or taken over), -2 when a batch straddles the
    /// watermark (the entry is dropped: the next check builds it again).
    /// </summary>
    public const string Finish = Functions + """
        if redis.call('HGET', KEYS[1], 'b') ~= ARGV[1] then return 0 end
        redis.call('HDEL', KEYS[1], 'b')
        redis.call('HSET', KEYS[1], 'w', ARGV[4], 'api', ARGV[5], 'gpu', ARGV[6])
        local i = 7
        for g = 2, 3 do
          local n = tonumber(ARGV[i]); i = i + 1
          for k = 1, n do redis.call('ZADD', KEYS[g], 0, ARGV[i]); i = i + 1 end
        end
        for _, p in ipairs(redis.call('LRANGE', KEYS[4], 0, -1)) do
          if apply(ARGV[4], p, ARGV[3]) == -2 then
            redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
            return -2
          end
        end
        redis.call('DEL', KEYS[4])
        trim(KEYS[2], ARGV[3])
        trim(KEYS[3], ARGV[3])
        for g = 1, 3 do redis.call('EXPIRE', KEYS[g], ARGV[2]) end
        return 1
        """;

    /// <summary>
    /// Adds a committed batch. ARGV: now (ticks), the payload. Returns 1 when added, -1 when the entry holds it already,
    /// 2 when kept for the build under way, 0 when there is no entry (the next check builds it from the database), -2 when
    /// the batch straddles the watermark (the entry is dropped).
    /// </summary>
    public const string Add = Functions + """
        local w = redis.call('HGET', KEYS[1], 'w')
        if w then
          local r = apply(w, ARGV[2], ARGV[1])
          if r == -2 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4]) end
          return r
        end
        if redis.call('HEXISTS', KEYS[1], 'b') == 1 then
          redis.call('RPUSH', KEYS[4], ARGV[2])
          local ttl = redis.call('PTTL', KEYS[1])
          if ttl > 0 then redis.call('PEXPIRE', KEYS[4], ttl) end
          return 2
        end
        return 0
        """;
}
