using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Data.Services.Metering;

/// <summary>
/// Quota decisions for the current tenant, true at the moment they are asked: the period's use includes every event
/// stored so far. Free tiers (and metrics without an overage price) are hard limits; paid tiers may go over, flagged as
/// overage; operators' overrides replace the plan's quota; an expired trial, a suspension or a cancellation denies.
/// </summary>
public sealed class QuotaService(IDbContextFactory<PortalDbContext> contexts, TimeProvider time)
{
    /// <summary>Decides whether the current tenant may use <paramref name="amount"/> more of <paramref name="metric"/>.</summary>
    public async Task<Result<QuotaDecision>> CheckAsync(UsageMetric metric, decimal amount, CancellationToken cancellationToken)
    {
        if (amount < 0)
            return Error.Invalid("amount", "The amount can't be negative.");
        if (amount > UsageBatchRules.MaxQuantity)
            return Error.Invalid("amount", $"The amount can be at most {UsageBatchRules.MaxQuantity:N0}.");
        await using var db = contexts.CreateDbContext();
        var tenantId = db.Tenant.TenantId ?? throw new InvalidOperationException("A quota check needs a current tenant.");
        var tenant = await db.Tenants.AsNoTracking().Include(t => t.QuotaOverrides).SingleAsync(t => t.Id == tenantId, cancellationToken);
        var now = time.GetUtcNow();
        var periodStart = PeriodMath.MonthStart(now);
        var used = (await UsageMeter.UsedAsync(db, periodStart, now, cancellationToken))[metric];
        return Decide(tenant, metric, used, amount, now);
    }

    /// <summary>The decision for a tenant, its use so far and an amount (pure: no I/O).</summary>
    public static QuotaDecision Decide(Tenant tenant, UsageMetric metric, decimal used, decimal amount, DateTimeOffset now)
    {
        var resetsAt = PeriodMath.MonthStart(now).AddMonths(1);
        var limit = PlanCatalog.EffectiveLimit(tenant.Tier, metric, tenant.QuotaOverrides);
        var unlimited = limit == PlanCatalog.Unlimited;
        var remaining = unlimited ? (decimal?)null : Math.Max(0, limit - used);
        var over = !unlimited && used + amount > limit;
        var overageAllowed = PlanCatalog.For(tenant.Tier).AllowsOverage(metric);

        var denial = StatusDenial(tenant, now) ?? (over && !overageAllowed ? QuotaDenial.QuotaExceeded : null);
        return new QuotaDecision(denial is null, used, limit, remaining, resetsAt, over && denial is null, denial);
    }

    private static string? StatusDenial(Tenant tenant, DateTimeOffset now) => tenant.Status switch
    {
        _ when BillingStatusRules.IsTrialExpired(tenant.Status, tenant.TrialEndsAt, tenant.SubscriptionStartedAt, now) => QuotaDenial.TrialExpired,
        TenantStatus.Suspended => QuotaDenial.Suspended,
        TenantStatus.Cancelled => QuotaDenial.Cancelled,
        _ => null,
    };
}
