using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services.Budgets;

/// <summary>
/// The current tenant's billable usage of the running month as a blocking budget prices it: the counters (rollups plus
/// the events past the watermark, one statement) and storage's GB-months so far. Storage's time-weighted level needs
/// every reading of the month, so it is read only when it can matter: never for an unlimited storage quota, and otherwise
/// only when the highest level of the month (one indexed aggregate) passes the quota; a time-weighted level never passes
/// the highest, so below it storage's overage line is 0 either way. All in one snapshot.
/// </summary>
internal static class BudgetUsage
{
    public static Task<PeriodUsage> ReadAsync(PortalDbContext db, Tenant tenant, DateTimeOffset now, CancellationToken cancellationToken) =>
        MeteringReads.OneSnapshotAsync(db, ct => ReadSnapshotAsync(db, tenant, now, ct), cancellationToken);

    private static async Task<PeriodUsage> ReadSnapshotAsync(PortalDbContext db, Tenant tenant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var periodStart = PeriodMath.MonthStart(now);
        var counters = await UsageMeter.CountersAsync(db, periodStart, cancellationToken);
        var included = PlanCatalog.EffectiveLimit(tenant.Tier, UsageMetric.StorageGb, tenant.QuotaOverrides);
        var gbMonths = 0m;
        if (included != PlanCatalog.Unlimited && PlanCatalog.For(tenant.Tier).OverageBilled
            && await HighestStorageLevelAsync(db, periodStart, now, cancellationToken) > included)
            gbMonths = await UsageMeter.StorageGbMonthsSoFarAsync(db, periodStart, now, cancellationToken);
        return new PeriodUsage(counters.GetValueOrDefault(UsageMetric.ApiCalls), gbMonths, counters.GetValueOrDefault(UsageMetric.GpuHours));
    }

    // The highest storage level held during the month so far: the readings of the month and the level it started at.
    private static async Task<decimal> HighestStorageLevelAsync(PortalDbContext db, DateTimeOffset periodStart, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inMonth = await db.UsageEvents
            .Where(e => e.Metric == UsageMetric.StorageGb && e.Timestamp >= periodStart && e.Timestamp <= now)
            .MaxAsync(e => (decimal?)e.Quantity, cancellationToken) ?? 0;
        var before = await db.UsageEvents
            .Where(e => e.Metric == UsageMetric.StorageGb && e.Timestamp < periodStart)
            .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id)
            .Select(e => (decimal?)e.Quantity)
            .FirstOrDefaultAsync(cancellationToken) ?? 0;
        return Math.Max(inMonth, before);
    }
}
