using Microsoft.EntityFrameworkCore;

namespace TenantPortal.Data.Services;

/// <summary>Reads the current tenant's overview (tenant filter applies to every query).</summary>
public sealed class TenantOverviewService(IDbContextFactory<PortalDbContext> contexts)
{
    /// <summary>The overview of the current tenant.</summary>
    public async Task<TenantOverview> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var tenantId = db.Tenant.TenantId ?? throw new InvalidOperationException("No current tenant.");
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(t => t.Id == tenantId, cancellationToken);
        var members = await db.Members.CountAsync(cancellationToken);
        var invoices = await db.Invoices.AsNoTracking()
            .OrderByDescending(i => i.PeriodStart).Take(3)
            .Select(i => new InvoiceSummary(i.Number, i.PeriodStart, i.Status, i.TotalCents, i.IssuedAt))
            .ToListAsync(cancellationToken);
        return new TenantOverview(tenant.Name, tenant.Tier, tenant.Status, tenant.BillingCycle, tenant.TrialEndsAt,
            tenant.CurrentPeriodEndsAt, members, invoices);
    }
}
