using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// The subscription-renewals job's work, at each period end: applies a scheduled downgrade (in Stripe too, without
/// proration), ends a subscription cancelled at the period end, and on the ledger rolls the renewal date forward (for a
/// subscription started on the ledger before Stripe was configured too: <see cref="PaymentGatewayRouting"/>).
/// Safe to repeat: each step looks at the tenant's current state and does nothing once done.
/// </summary>
public sealed class SubscriptionRenewalService(
    TenantJobRunner runner,
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    IPaymentGateway gateway,
    AuditWriter audit,
    TimeProvider time,
    ILogger<SubscriptionRenewalService> logger)
{
    /// <summary>Handles every tenant with something due; returns how many changed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var external = gateway.IsExternal;
        List<Guid> due;
        using (tenantContext.BeginCrossTenantScope("subscription renewals: tenants with a period end passed"))
        {
            await using var db = contexts.CreateDbContext();
            due = await db.Tenants.AsNoTracking()
                .Where(t => (t.PendingChangeAt != null && t.PendingChangeAt <= now)
                    || (t.CancelAtPeriodEnd && t.CurrentPeriodEndsAt != null && t.CurrentPeriodEndsAt <= now)
                    || ((!external || t.StripeSubscriptionId == null) && t.SubscriptionStartedAt != null && t.CurrentPeriodEndsAt != null && t.CurrentPeriodEndsAt <= now
                        && t.Tier != SubscriptionTier.Free && (t.Status == TenantStatus.Active || t.Status == TenantStatus.PastDue)))
                .OrderBy(t => t.Slug).Select(t => t.Id).ToListAsync(cancellationToken);
        }
        var changed = await runner.ForEachAsync("Subscription renewals", due,
            (services, ct) => services.GetRequiredService<SubscriptionRenewalService>().RenewCurrentTenantAsync(ct), cancellationToken);
        return changed.Count(c => c);
    }

    /// <summary>Applies what is due for the current tenant; false when nothing was.</summary>
    public async Task<bool> RenewCurrentTenantAsync(CancellationToken cancellationToken)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Renewals need a current tenant.");
        var now = time.GetUtcNow();
        await using var db = contexts.CreateDbContext();
        var tenant = await db.Tenants.SingleAsync(t => t.Id == tenantId, cancellationToken);
        var changed = false;

        if (tenant is { PendingChangeAt: { } at, PendingTier: { } tier } && at <= now)
        {
            var cycle = tenant.PendingCycle ?? BillingCycle.Monthly;
            if (tier != SubscriptionTier.Free)
            {
                var moved = await gateway.For(tenant).ChangePlanAsync(tenant, tier, cycle, prorate: false, cancellationToken);
                if (!moved.IsSuccess)
                {
                    logger.LogWarning("Scheduled change of {Slug} to {Tier} could not be made: {Message}; retried on the next run", tenant.Slug, tier, moved.Error.Message);
                    return false;
                }
            }
            var from = tenant.Tier;
            var applied = tenant.ApplyScheduledChange(now);
            // The plan history holds the segment from `at` since the change was scheduled; recording it again is a no-op
            // unless something dropped it meanwhile.
            await PlanHistory.RecordAsync(db, tenant.Id, applied.Value, cancellationToken);
            audit.RecordSystem(db, tenant.Id, AuditActions.PlanChanged, $"tenant:{tenant.Slug}",
                string.Create(CultureInfo.InvariantCulture, $"scheduled change applied: {from} to {tier} on {at.UtcDateTime:yyyy-MM-dd}"));
            changed = true;
        }

        if (tenant is { CancelAtPeriodEnd: true, CurrentPeriodEndsAt: { } end } && tenant.EndAtPeriodEnd(now).IsSuccess)
        {
            audit.RecordSystem(db, tenant.Id, AuditActions.SubscriptionCancelled, $"tenant:{tenant.Slug}",
                string.Create(CultureInfo.InvariantCulture, $"{tenant.Tier} ended at the period end, {end.UtcDateTime:yyyy-MM-dd}"));
            changed = true;
        }

        // A subscription on the ledger (also one started there before Stripe was configured) renews here; Stripe renews its own.
        if (!gateway.For(tenant).IsExternal && tenant.RenewPeriod(now).IsSuccess)
            changed = true;

        if (changed)
        {
            tenant.ConcurrencyStamp = Guid.NewGuid();
            await db.SaveChangesAsync(cancellationToken);
        }
        return changed;
    }
}
