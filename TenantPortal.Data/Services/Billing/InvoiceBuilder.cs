using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// Builds a tenant's invoice of one period from the database: base lines from the plan history, overage from the
/// metered usage against the plan in force at the period's end, and adjustment lines for usage of earlier invoiced
/// periods that arrived after they were invoiced. The monthly-invoicing job and the upcoming-invoice preview share it,
/// so the preview is the invoice the job will issue, with the usage so far.
/// </summary>
internal static class InvoiceBuilder
{
    /// <param name="db">A context working for the tenant.</param>
    /// <param name="tenant">The tenant, with its quota overrides.</param>
    /// <param name="periodStart">First instant of the month.</param>
    /// <param name="usageUntil">Usage counted up to here: the period's end once closed, now for a preview.</param>
    /// <param name="issuedAt">Issue time (the due date follows).</param>
    /// <param name="baseBilledByProviderFrom">
    /// In Stripe mode, from when the tenant's Stripe subscription charges the base price (<see cref="Tenant.BaseBilledInStripeFrom"/>):
    /// base lines from then on are there at zero; earlier ones (time billed on the ledger) are charged here. Null: all charged here.
    /// </param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static Task<Invoice> BuildAsync(PortalDbContext db, Tenant tenant, DateTimeOffset periodStart, DateTimeOffset usageUntil,
        DateTimeOffset issuedAt, DateTimeOffset? baseBilledByProviderFrom, CancellationToken cancellationToken) =>
        BuildAsync(new DatabasePeriodBillingReads(db, tenant), tenant, periodStart, usageUntil, issuedAt, baseBilledByProviderFrom, cancellationToken);

    /// <summary>The same invoice, from <paramref name="reads"/> (the invoicing job's, read for many tenants at once).</summary>
    public static async Task<Invoice> BuildAsync(IPeriodBillingReads reads, Tenant tenant, DateTimeOffset periodStart, DateTimeOffset usageUntil,
        DateTimeOffset issuedAt, DateTimeOffset? baseBilledByProviderFrom, CancellationToken cancellationToken)
    {
        var segments = await reads.SegmentsAsync(periodStart, cancellationToken);
        IEnumerable<BaseCharge> baseCharges = BaseCharges.For(segments, periodStart);
        if (baseBilledByProviderFrom is { } from)
            baseCharges = baseCharges.Select(c => c.From < from
                ? c
                : c with { AmountCents = 0, Description = c.Description + " (billed by your subscription in Stripe)" });
        var usage = await reads.PeriodUsageAsync(periodStart, usageUntil, cancellationToken);
        var adjustments = await LateUsageAsync(reads, tenant, periodStart, cancellationToken);
        return InvoiceComposer.Compose(tenant, periodStart, baseCharges.ToList(), OveragePlan(segments, periodStart), usage, adjustments, issuedAt);
    }

    /// <summary>The plan whose quotas a period's usage is measured against: the one in force at its end, when charged.</summary>
    public static Plan? OveragePlan(IEnumerable<PlanSegment> segments, DateTimeOffset periodStart) =>
        BaseCharges.At(segments, periodStart.AddMonths(1).AddTicks(-1)) is { Charged: true } atEnd ? PlanCatalog.For(atEnd.Tier) : null;

    /// <summary>
    /// The tenant's plan history over a period. A tenant without any history (created before plan history was kept)
    /// is taken to have been on its current plan since it was created, charged unless on a trial or cancelled.
    /// </summary>
    public static async Task<List<PlanSegment>> SegmentsAsync(PortalDbContext db, Tenant tenant, DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        var segments = await PlanHistory.OverlappingAsync(db, tenant.Id, periodStart, periodStart.AddMonths(1), cancellationToken);
        if (segments.Count > 0 || await db.PlanSegments.AnyAsync(s => s.TenantId == tenant.Id, cancellationToken))
            return segments;
        return [Assumed(tenant)];
    }

    /// <summary>The tenant's whole plan history (one read), with the same assumption as <see cref="SegmentsAsync"/> when it has none.</summary>
    public static async Task<List<PlanSegment>> HistoryAsync(PortalDbContext db, Tenant tenant, CancellationToken cancellationToken)
    {
        var segments = await db.PlanSegments.AsNoTracking().Where(s => s.TenantId == tenant.Id).ToListAsync(cancellationToken);
        return segments.Count > 0 ? segments : [Assumed(tenant)];
    }

    // The plan of a tenant without history: its current one since it was created, charged unless on a trial or cancelled.
    internal static PlanSegment Assumed(Tenant tenant) => new()
    {
        TenantId = tenant.Id, Tier = tenant.Tier, Cycle = tenant.BillingCycle, StartsAt = tenant.CreatedAt,
        Charged = tenant.Tier != SubscriptionTier.Free && tenant.Status is not (TenantStatus.Trial or TenantStatus.Cancelled),
    };

    // Usage of the recently invoiced periods that arrived after their invoice: the difference between what their
    // overage comes to now and everything billed for them so far (overage plus earlier adjustments) net of the credit notes
    // that credited them. Only an increase becomes a line: a decrease is settled by a credit note (CreditNoteIssuer), never
    // by a negative adjustment line.
    private static async Task<List<InvoiceLine>> LateUsageAsync(IPeriodBillingReads reads, Tenant tenant, DateTimeOffset periodStart, CancellationToken cancellationToken)
    {
        var periods = await reads.InvoicedPeriodsAsync(periodStart, periodStart - InvoiceIssuance.LateUsageWindow, cancellationToken);
        var lines = new List<InvoiceLine>();
        foreach (var period in periods)
        {
            var net = await reads.NetBilledAsync(period, cancellationToken);
            var now = await PeriodBilling.OverageNowAsync(reads, tenant, period, cancellationToken);
            foreach (var metric in PeriodSettlement.Metrics)
            {
                var line = PeriodSettlement.Adjustment(metric, period, now.FirstOrDefault(l => l.Metric == metric), net.GetValueOrDefault(metric));
                if (line is not null)
                    lines.Add(line);
            }
        }
        return lines;
    }
}
