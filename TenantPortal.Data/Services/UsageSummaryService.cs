using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Quotas;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services;

/// <summary>The current tenant's usage of the running billing period, per metric, against its effective quotas (the usage bars).</summary>
public sealed class UsageSummaryService(IDbContextFactory<PortalDbContext> contexts, TimeProvider time)
{
    /// <summary>Usage of every metric for the current tenant in the period containing now.</summary>
    public async Task<IReadOnlyList<CurrentUsage>> CurrentPeriodAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var tenantId = db.Tenant.TenantId ?? throw new InvalidOperationException("No current tenant.");
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        var now = time.GetUtcNow();
        var used = await UsageMeter.UsedAsync(db, PeriodMath.MonthStart(now), now, cancellationToken);
        return UsageMetrics.All.Select(metric =>
        {
            var limit = PlanCatalog.EffectiveLimit(tenant.Tier, metric, tenant.QuotaOverrides);
            return new CurrentUsage(metric, used[metric], limit, QuotaCalculator.Percentage(used[metric], limit));
        }).ToList();
    }
}
