using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services;

/// <summary>
/// The fleet figures of tenants computed from the live data, as SQL: members, and this period's usage against the
/// effective quotas. Counters are the month rollup plus the events past the rollup watermark (as
/// <c>UsageMeter.CountersAsync</c> reads them); storage is the latest level. Percentages are <c>double</c>: they are shown
/// and compared, never billed. Nine correlated subqueries per tenant: <see cref="FleetSnapshotRefresher"/> runs it for the
/// tenants whose figures may have changed and keeps the result in <see cref="FleetUsageSnapshot"/>.
/// </summary>
internal static class FleetLiveUsage
{
    /// <summary>One tenant's live figures.</summary>
    internal sealed class Row
    {
        public Guid TenantId { get; init; }
        public int Members { get; init; }
        public double? ApiCallsPercent { get; init; }
        public double? StoragePercent { get; init; }
        public double? GpuHoursPercent { get; init; }
        public DateTimeOffset? LevelPendingAt { get; init; }
    }

    /// <summary>The live figures of <paramref name="tenants"/> at <paramref name="now"/>.</summary>
    public static IQueryable<Row> Query(PortalDbContext db, IQueryable<Tenant> tenants, DateTimeOffset now)
    {
        var periodStart = PeriodMath.MonthStart(now);
        var periodEnd = periodStart.AddMonths(1);
        var watermark = db.MeteringWatermarks.Where(w => w.Name == MeteringWatermark.Rollup).Select(w => (long?)w.LastEventId);
        var rollups = db.UsageRollups.Where(r => r.Granularity == RollupGranularity.Month && r.PeriodStart == periodStart);
        var fresh = db.UsageEvents.Where(e => e.Id > (watermark.FirstOrDefault() ?? 0) && e.Timestamp >= periodStart && e.Timestamp < periodEnd);
        var storage = db.UsageEvents.Where(e => e.Metric == UsageMetric.StorageGb && e.Timestamp <= now);
        var pendingLevels = db.UsageEvents.Where(e => e.Metric == UsageMetric.StorageGb && e.Timestamp > now);
        var (apiFree, apiStarter, apiPro, apiEnterprise) = PlanLimits(UsageMetric.ApiCalls);
        var (gbFree, gbStarter, gbPro, gbEnterprise) = PlanLimits(UsageMetric.StorageGb);
        var (gpuFree, gpuStarter, gpuPro, gpuEnterprise) = PlanLimits(UsageMetric.GpuHours);

        var usage = tenants.Select(t => new
        {
            t.Id,
            Members = db.Members.Count(m => m.TenantId == t.Id),
            ApiUsed = rollups.Where(r => r.TenantId == t.Id && r.Metric == UsageMetric.ApiCalls).Sum(r => (double)r.Sum)
                + fresh.Where(e => e.TenantId == t.Id && e.Metric == UsageMetric.ApiCalls).Sum(e => (double)e.Quantity),
            GpuUsed = rollups.Where(r => r.TenantId == t.Id && r.Metric == UsageMetric.GpuHours).Sum(r => (double)r.Sum)
                + fresh.Where(e => e.TenantId == t.Id && e.Metric == UsageMetric.GpuHours).Sum(e => (double)e.Quantity),
            StorageUsed = storage.Where(e => e.TenantId == t.Id)
                .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id)
                .Select(e => (double?)e.Quantity).FirstOrDefault() ?? 0,
            LevelPendingAt = pendingLevels.Where(e => e.TenantId == t.Id).OrderBy(e => e.Timestamp)
                .Select(e => (DateTimeOffset?)e.Timestamp).FirstOrDefault(),
            ApiLimit = db.QuotaOverrides.Where(o => o.TenantId == t.Id && o.Metric == UsageMetric.ApiCalls).Select(o => (double?)o.Limit).FirstOrDefault()
                ?? (t.Tier == SubscriptionTier.Free ? apiFree : t.Tier == SubscriptionTier.Starter ? apiStarter : t.Tier == SubscriptionTier.Professional ? apiPro : apiEnterprise),
            GbLimit = db.QuotaOverrides.Where(o => o.TenantId == t.Id && o.Metric == UsageMetric.StorageGb).Select(o => (double?)o.Limit).FirstOrDefault()
                ?? (t.Tier == SubscriptionTier.Free ? gbFree : t.Tier == SubscriptionTier.Starter ? gbStarter : t.Tier == SubscriptionTier.Professional ? gbPro : gbEnterprise),
            GpuLimit = db.QuotaOverrides.Where(o => o.TenantId == t.Id && o.Metric == UsageMetric.GpuHours).Select(o => (double?)o.Limit).FirstOrDefault()
                ?? (t.Tier == SubscriptionTier.Free ? gpuFree : t.Tier == SubscriptionTier.Starter ? gpuStarter : t.Tier == SubscriptionTier.Professional ? gpuPro : gpuEnterprise),
        });

        // QuotaCalculator.Percentage in SQL: unlimited (-1) is null; a zero quota is 100 % once anything is used.
        return usage.Select(u => new Row
        {
            TenantId = u.Id,
            Members = u.Members,
            ApiCallsPercent = u.ApiLimit == Unlimited ? null : u.ApiLimit <= 0 ? (u.ApiUsed > 0 ? 100 : 0) : u.ApiUsed / u.ApiLimit * 100,
            StoragePercent = u.GbLimit == Unlimited ? null : u.GbLimit <= 0 ? (u.StorageUsed > 0 ? 100 : 0) : u.StorageUsed / u.GbLimit * 100,
            GpuHoursPercent = u.GpuLimit == Unlimited ? null : u.GpuLimit <= 0 ? (u.GpuUsed > 0 ? 100 : 0) : u.GpuUsed / u.GpuLimit * 100,
            LevelPendingAt = u.LevelPendingAt,
        });
    }

    private const double Unlimited = (double)PlanCatalog.Unlimited;

    private static (double Free, double Starter, double Professional, double Enterprise) PlanLimits(UsageMetric metric) =>
        ((double)PlanCatalog.Free.Limit(metric), (double)PlanCatalog.Starter.Limit(metric),
         (double)PlanCatalog.Professional.Limit(metric), (double)PlanCatalog.Enterprise.Limit(metric));
}
