using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Quotas;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services;

/// <summary>
/// The current tenant's usage of the running billing period, per metric, against its effective quotas.
/// Reads the raw events with the aggregation done in SQL; the rollups of the metering job take over in a later issue.
/// </summary>
public sealed class UsageSummaryService(IDbContextFactory<PortalDbContext> contexts, TimeProvider time)
{
    /// <summary>Usage of every metric for the current tenant in the period containing now.</summary>
    public async Task<IReadOnlyList<CurrentUsage>> CurrentPeriodAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var tenantId = db.Tenant.TenantId ?? throw new InvalidOperationException("No current tenant.");
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        var now = time.GetUtcNow();
        var periodStart = PeriodMath.MonthStart(now);

        var counters = await db.UsageEvents
            .Where(e => e.Timestamp >= periodStart && (e.Metric == UsageMetric.ApiCalls || e.Metric == UsageMetric.GpuHours))
            .GroupBy(e => e.Metric)
            .Select(g => new { Metric = g.Key, Sum = g.Sum(e => e.Quantity) })
            .ToDictionaryAsync(x => x.Metric, x => x.Sum, cancellationToken);

        var gauges = new Dictionary<UsageMetric, decimal>();
        foreach (var metric in new[] { UsageMetric.StorageGb, UsageMetric.Studies })
        {
            var latest = await db.UsageEvents
                .Where(e => e.Metric == metric && e.Timestamp <= now)
                .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id)
                .Select(e => (decimal?)e.Quantity)
                .FirstOrDefaultAsync(cancellationToken);
            gauges[metric] = latest ?? 0;
        }
        var seats = await db.Members.CountAsync(cancellationToken);

        return UsageMetrics.All.Select(metric =>
        {
            var used = UsageMetrics.Kind(metric) switch
            {
                MetricKind.Counter => counters.GetValueOrDefault(metric),
                MetricKind.Gauge => gauges[metric],
                _ => seats,
            };
            var limit = PlanCatalog.EffectiveLimit(tenant.Tier, metric, tenant.QuotaOverrides);
            return new CurrentUsage(metric, used, limit, QuotaCalculator.Percentage(used, limit));
        }).ToList();
    }
}
