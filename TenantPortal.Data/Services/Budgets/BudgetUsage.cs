using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services.Budgets;

/// <summary>
/// The current tenant's billable usage of the running month as a blocking budget prices it: the counters (the quota
/// check's running totals when it has them, else rollups plus the events past the watermark in one statement) and
/// storage's GB-months so far. Storage's time-weighted level needs
/// every reading of the month, so it is read only when it can matter: never for an unlimited storage quota, and otherwise
/// only when the highest level of the month (one indexed aggregate) passes the quota; a time-weighted level never passes
/// the highest, so below it storage's overage line is 0 either way. All in one snapshot.
/// </summary>
internal static class BudgetUsage
{
    public static Task<PeriodUsage> ReadAsync(PortalDbContext db, Tenant tenant, DateTimeOffset now, (decimal ApiCalls, decimal GpuHours)? counters,
        CancellationToken cancellationToken) =>
        MeteringReads.OneSnapshotAsync(db, ct => ReadSnapshotAsync(db, tenant, now, counters, ct), cancellationToken);

    private static async Task<PeriodUsage> ReadSnapshotAsync(PortalDbContext db, Tenant tenant, DateTimeOffset now, (decimal ApiCalls, decimal GpuHours)? known,
        CancellationToken cancellationToken)
    {
        var periodStart = PeriodMath.MonthStart(now);
        var (apiCalls, gpuHours) = known ?? await CountersAsync(db, periodStart, cancellationToken);
        var included = PlanCatalog.EffectiveLimit(tenant.Tier, UsageMetric.StorageGb, tenant.QuotaOverrides);
        var gbMonths = 0m;
        if (included != PlanCatalog.Unlimited && PlanCatalog.For(tenant.Tier).OverageBilled
            && await HighestStorageLevelAsync(db, periodStart, now, cancellationToken) >= (double)included)
            gbMonths = await UsageMeter.StorageGbMonthsSoFarAsync(db, periodStart, now, cancellationToken);
        return new PeriodUsage(apiCalls, gbMonths, gpuHours);
    }

    private static async Task<(decimal, decimal)> CountersAsync(PortalDbContext db, DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        var counters = await UsageMeter.CountersAsync(db, periodStart, cancellationToken);
        return (counters.GetValueOrDefault(UsageMetric.ApiCalls), counters.GetValueOrDefault(UsageMetric.GpuHours));
    }

    // The highest storage level held during the month so far (the readings of the month and the level it started at), as
    // a double: SQLite keeps decimals as text, and MAX over them would call back into .NET per row. Rounding to double
    // is monotonic, so a level above the quota is never below the quota's double: the caller compares with >=, and a
    // level that only equals it is read exactly (a false "maybe", never a false "no").
    private static async Task<double> HighestStorageLevelAsync(PortalDbContext db, DateTimeOffset periodStart, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inMonth = await db.UsageEvents
            .Where(e => e.Metric == UsageMetric.StorageGb && e.Timestamp >= periodStart && e.Timestamp <= now)
            .MaxAsync(e => (double?)(double)e.Quantity, cancellationToken) ?? 0;
        var before = await db.UsageEvents
            .Where(e => e.Metric == UsageMetric.StorageGb && e.Timestamp < periodStart)
            .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id)
            .Select(e => (double?)(double)e.Quantity)
            .FirstOrDefaultAsync(cancellationToken) ?? 0;
        return Math.Max(inMonth, before);
    }
}
