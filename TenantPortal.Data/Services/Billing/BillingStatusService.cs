using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// The current tenant's billing state for the banners every member sees (two small reads, tenant filter applies).
/// Membership is checked by the caller that set the tenant context (TenantScope), as for the overview.
/// </summary>
public sealed class BillingStatusService(IDbContextFactory<PortalDbContext> contexts, IOptions<BillingOptions> billing, TimeProvider time)
{
    /// <summary>The billing state of the current tenant.</summary>
    public async Task<BillingStatus> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var tenantId = db.Tenant.TenantId ?? throw new InvalidOperationException("No current tenant.");
        var tenant = await db.Tenants.AsNoTracking()
            .Where(t => t.Id == tenantId)
            .Select(t => new { t.Tier, t.Status, t.TrialEndsAt, t.SubscriptionStartedAt, t.PastDueSince, t.SuspendedAt })
            .SingleAsync(cancellationToken);
        string? unpaid = null;
        if (tenant.Status is TenantStatus.PastDue or TenantStatus.Suspended)
        {
            // Few invoices per tenant: ordered here, as SQLite can't order by a DateTimeOffset.
            var open = await db.Invoices.AsNoTracking()
                .Where(i => i.Status == InvoiceStatus.Open)
                .Select(i => new { i.Number, i.PeriodStart })
                .ToListAsync(cancellationToken);
            unpaid = open.OrderBy(i => i.PeriodStart).Select(i => i.Number).FirstOrDefault();
        }
        var now = time.GetUtcNow();
        var trialExpired = BillingStatusRules.IsTrialExpired(tenant.Status, tenant.TrialEndsAt, tenant.SubscriptionStartedAt, now);
        int? daysLeft = tenant is { Status: TenantStatus.Trial, TrialEndsAt: { } trialEnd } && !trialExpired
            ? BillingStatusRules.TrialDaysLeft(trialEnd, now) : null;
        return new BillingStatus(tenant.Tier, tenant.Status, tenant.TrialEndsAt, daysLeft, trialExpired, tenant.PastDueSince,
            tenant.PastDueSince?.AddDays(billing.Value.DunningDays), tenant.SuspendedAt, unpaid);
    }
}
