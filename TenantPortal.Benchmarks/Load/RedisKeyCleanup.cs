using StackExchange.Redis;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Deletes what a scenario wrote to a Redis server it shares with other work: every key naming one of its tenants (the
/// portal's quota totals name the tenant's id without dashes, the rate limiter's keys with them) or one of its own
/// marks. Never a flush. (Everything the portal writes there expires by itself too: the limiter's keys after a second,
/// the quota entries an hour after their build.)
/// </summary>
public static class RedisKeyCleanup
{
    /// <summary>Deletes the keys naming <paramref name="tenants"/> or containing one of <paramref name="marks"/>; returns how many.</summary>
    public static async Task<int> DeleteAsync(IConnectionMultiplexer redis, IEnumerable<Guid> tenants, IEnumerable<string> marks)
    {
        var patterns = tenants.SelectMany(t => new[] { t.ToString("N"), t.ToString("D") }).Concat(marks).Select(p => $"*{p}*").ToList();
        var database = redis.GetDatabase();
        var deleted = 0;
        foreach (var endPoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endPoint);
            if (!server.IsConnected || server.IsReplica)
                continue;
            foreach (var pattern in patterns)
            {
                var keys = new List<RedisKey>();
                await foreach (var key in server.KeysAsync(database.Database, pattern, pageSize: 1_000))
                    keys.Add(key);
                // One by one: the keys carry hash tags of their own, so a multi-key delete could span cluster slots.
                var removed = await Task.WhenAll(keys.Select(k => database.KeyDeleteAsync(k)));
                deleted += removed.Count(r => r);
            }
        }
        return deleted;
    }
}
