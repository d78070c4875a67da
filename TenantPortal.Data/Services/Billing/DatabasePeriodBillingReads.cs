using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services.Billing;

/// <summary>A tenant's billing reads straight from the database, a few statements each (previews, backfills, settlement).</summary>
/// <param name="db">A context working for the tenant.</param>
/// <param name="tenant">The tenant.</param>
internal sealed class DatabasePeriodBillingReads(PortalDbContext db, Tenant tenant) : IPeriodBillingReads
{
    /// <inheritdoc />
    public Task<List<PlanSegment>> SegmentsAsync(DateTimeOffset periodStart, CancellationToken cancellationToken) =>
        InvoiceBuilder.SegmentsAsync(db, tenant, periodStart, cancellationToken);

    /// <inheritdoc />
    public Task<PeriodUsage> PeriodUsageAsync(DateTimeOffset periodStart, DateTimeOffset until, CancellationToken cancellationToken) =>
        UsageMeter.PeriodUsageAsync(db, periodStart, until, cancellationToken);

    /// <inheritdoc />
    public Task<List<DateTimeOffset>> InvoicedPeriodsAsync(DateTimeOffset before, DateTimeOffset endsAfter, CancellationToken cancellationToken) =>
        db.Invoices.AsNoTracking()
            .Where(i => i.TenantId == tenant.Id && i.PeriodStart < before && i.PeriodEnd > endsAfter && i.Status != InvoiceStatus.Void)
            .OrderBy(i => i.PeriodStart).Select(i => i.PeriodStart).ToListAsync(cancellationToken);

    /// <inheritdoc />
    public Task<Dictionary<UsageMetric, PeriodSettlement.Amount>> NetBilledAsync(DateTimeOffset period, CancellationToken cancellationToken) =>
        PeriodBilling.NetBilledAsync(db, tenant.Id, period, cancellationToken);
}
