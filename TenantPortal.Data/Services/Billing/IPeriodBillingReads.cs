using TenantPortal.Core.Billing;
using TenantPortal.Core.Usage;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// What building a tenant's invoice reads about it: its plan segments over a period, a period's usage, its invoiced
/// periods and what was billed net of credit notes for one of them. Read from the database one tenant at a time
/// (<see cref="DatabasePeriodBillingReads"/>, for previews) or from what the invoicing job read for many tenants at once
/// (<see cref="TenantInvoicingData"/>); <see cref="InvoiceBuilder"/> composes the same invoice from either.
/// </summary>
internal interface IPeriodBillingReads
{
    /// <summary>The plan segments overlapping the month starting at <paramref name="periodStart"/> (<see cref="InvoiceBuilder.SegmentsAsync"/>).</summary>
    Task<List<PlanSegment>> SegmentsAsync(DateTimeOffset periodStart, CancellationToken cancellationToken);

    /// <summary>The billable usage of the month starting at <paramref name="periodStart"/> up to <paramref name="until"/>.</summary>
    Task<PeriodUsage> PeriodUsageAsync(DateTimeOffset periodStart, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>The first instants of the periods with an invoice that is not void, starting before <paramref name="before"/> and ending after <paramref name="endsAfter"/>, oldest first.</summary>
    Task<List<DateTimeOffset>> InvoicedPeriodsAsync(DateTimeOffset before, DateTimeOffset endsAfter, CancellationToken cancellationToken);

    /// <summary>Per metric, billed for <paramref name="period"/> minus credited for it (<see cref="PeriodBilling.NetBilledAsync"/>).</summary>
    Task<Dictionary<UsageMetric, PeriodSettlement.Amount>> NetBilledAsync(DateTimeOffset period, CancellationToken cancellationToken);
}
