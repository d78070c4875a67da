using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// Refused API requests per tenant and day (rate-limited, quota-denied), so a tenant sees its own throttling, and the
/// quota alerts of the period. Counts arrive in batches from each instance and are added, so instances don't collide.
/// </summary>
public sealed class ApiRefusalService(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext, TenantDataVersions? versions = null)
{
    /// <summary>Adds counts collected in memory (the rollup job flushes them every minute).</summary>
    public async Task AddAsync(IReadOnlyCollection<RefusalCount> counts, CancellationToken cancellationToken)
    {
        if (counts.Count == 0)
            return;
        using var scope = tenantContext.BeginCrossTenantScope("flushing refused-request counts of every tenant");
        await using var db = contexts.CreateDbContext();
        foreach (var c in counts)
        {
            var day = new DateTimeOffset(c.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            for (var attempt = 0; ; attempt++)
            {
                var updated = await db.ApiRefusalDays.Where(r => r.TenantId == c.TenantId && r.Day == day && r.Reason == c.Reason)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Count, r => r.Count + c.Count), cancellationToken);
                if (updated > 0)
                    break;
                db.ApiRefusalDays.Add(new ApiRefusalDay { TenantId = c.TenantId, Day = day, Reason = c.Reason, Count = c.Count });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    break;
                }
                catch (DbUpdateException) when (attempt == 0)
                {
                    // Another instance created the row meanwhile: add to it instead.
                    db.ChangeTracker.Clear();
                }
            }
            versions?.Changed(c.TenantId);
        }
    }

    /// <summary>The current tenant's refused requests from <paramref name="periodStart"/> on, per day and reason.</summary>
    public async Task<IReadOnlyList<RefusalCount>> SinceAsync(DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var rows = await db.ApiRefusalDays.AsNoTracking().Where(r => r.Day >= periodStart).ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.Day).ThenBy(r => r.Reason)
            .Select(r => new RefusalCount(r.TenantId, DateOnly.FromDateTime(r.Day.UtcDateTime), r.Reason, r.Count)).ToList();
    }

    /// <summary>The current tenant's quota alerts fired from <paramref name="periodStart"/> on, newest first.</summary>
    public async Task<IReadOnlyList<PeriodAlert>> AlertsSinceAsync(DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var rows = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == AuditActions.QuotaAlertFired && a.OccurredAt >= periodStart)
            .OrderByDescending(a => a.OccurredAt)
            .Select(a => new { a.OccurredAt, a.Target, a.Details })
            .ToListAsync(cancellationToken);
        return rows.Select(a => new PeriodAlert(a.OccurredAt, a.Target ?? "", a.Details)).ToList();
    }
}
