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
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId, cancellationToken);
        string? unpaid = null;
        if (tenant.IsUnpaid)
        {
            // Few invoices per tenant: ordered here, as SQLite can't order by a DateTimeOffset.
            var open = await db.Invoices.AsNoTracking()
                .Where(i => i.Status == InvoiceStatus.Open)
                .Select(i => new { i.Number, i.PeriodStart })
                .ToListAsync(cancellationToken);
            unpaid = open.OrderBy(i => i.PeriodStart).Select(i => i.Number).FirstOrDefault();
        }
        var now = time.GetUtcNow();
        var trialExpired = tenant.IsTrialExpired(now);
        return new BillingStatus(tenant.Tier, tenant.Status, tenant.TrialEndsAt, trialExpired ? null : tenant.TrialDaysLeft(now), trialExpired, tenant.PastDueSince,
            tenant.PastDueSince?.AddDays(billing.Value.DunningDays), tenant.SuspendedAt, unpaid) { SuspensionReason = tenant.SuspensionReason };
    }
}
