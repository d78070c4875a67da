using System.Collections.Concurrent;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Web.Observability;

/// <summary>
/// Counts refused API requests per tenant, day and reason in memory; the rollup job drains it into the database every
/// minute. A flood of refused requests then costs no database write per request.
/// </summary>
public sealed class ApiRefusalCounter(TimeProvider time)
{
    private ConcurrentDictionary<(Guid Tenant, DateOnly Day, string Reason), long> _counts = new();

    /// <summary>Counts one refusal.</summary>
    public void Count(Guid tenantId, string reason) =>
        _counts.AddOrUpdate((tenantId, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), reason), 1, (_, n) => n + 1);

    /// <summary>Takes every count so far, leaving the counter empty.</summary>
    public IReadOnlyCollection<RefusalCount> Drain()
    {
        var taken = Interlocked.Exchange(ref _counts, new());
        return taken.Select(kv => new RefusalCount(kv.Key.Tenant, kv.Key.Day, kv.Key.Reason, kv.Value)).ToList();
    }

    /// <summary>Puts counts back (a flush that failed), so none is lost.</summary>
    public void Restore(IEnumerable<RefusalCount> counts)
    {
        foreach (var c in counts)
            _counts.AddOrUpdate((c.TenantId, c.Day, c.Reason), c.Count, (_, n) => n + c.Count);
    }
}
