using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Quotas;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// The current tenant's usage of the running period with limits, percentages and the estimated cost (base price plus
/// overage so far). Storage is estimated as the time-weighted level so far, the GB-months the period is on course to bill.
/// </summary>
public sealed class UsageReportService(IDbContextFactory<PortalDbContext> contexts, TimeProvider time)
{
    /// <summary>The report for the current tenant.</summary>
    public async Task<UsageReport> CurrentAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var tenantId = db.Tenant.TenantId ?? throw new InvalidOperationException("A usage report needs a current tenant.");
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        var now = time.GetUtcNow();
        var periodStart = PeriodMath.MonthStart(now);
        var used = await UsageMeter.UsedAsync(db, periodStart, now, cancellationToken);
        var gbMonths = await UsageMeter.StorageGbMonthsSoFarAsync(db, periodStart, now, cancellationToken);

        var plan = PlanCatalog.For(tenant.Tier);
        var overage = OverageCalculator.Lines(plan, new PeriodUsage(used[UsageMetric.ApiCalls], gbMonths, used[UsageMetric.GpuHours]), tenant.QuotaOverrides)
            .ToDictionary(l => l.Metric);
        var metrics = UsageMetrics.All.Select(metric =>
        {
            var limit = PlanCatalog.EffectiveLimit(tenant.Tier, metric, tenant.QuotaOverrides);
            var percentage = QuotaCalculator.Percentage(used[metric], limit);
            var line = overage.GetValueOrDefault(metric);
            return new MetricReport(metric, used[metric], limit, percentage, QuotaCalculator.Band(percentage), line?.Quantity ?? 0, line?.AmountCents ?? 0);
        }).ToList();
        var baseCents = plan.MonthlyPriceCents;
        return new UsageReport(periodStart, periodStart.AddMonths(1), metrics, baseCents, baseCents + metrics.Sum(m => m.OverageCents));
    }
}
