using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// The two sides of an invoiced period's settlement, read from the database (never from a correction's delta): what its
/// overage comes to now, and what was billed for it (overage and adjustment lines on any invoice) minus what credit notes
/// credited. Late-usage adjustments (<see cref="InvoiceBuilder"/>) and credit notes (<see cref="CreditNoteIssuer"/>) both
/// compare these, so the two never disagree about a period.
/// </summary>
internal static class PeriodBilling
{
    /// <summary>Per metric, billed for <paramref name="period"/> minus credited for it.</summary>
    public static async Task<Dictionary<UsageMetric, PeriodSettlement.Amount>> NetBilledAsync(PortalDbContext db, Guid tenantId, DateTimeOffset period,
        CancellationToken cancellationToken)
    {
        var billed = await db.InvoiceLines.AsNoTracking()
            .Where(l => l.TenantId == tenantId && l.UsagePeriodStart == period && l.Metric != null
                && (l.Kind == InvoiceLineKind.Overage || l.Kind == InvoiceLineKind.Adjustment))
            .Select(l => new { Metric = l.Metric!.Value, l.Quantity, l.AmountCents })
            .ToListAsync(cancellationToken);
        var credited = await db.CreditNoteLines.AsNoTracking()
            .Where(l => l.TenantId == tenantId && l.UsagePeriodStart == period)
            .Select(l => new { l.Metric, l.Quantity, l.AmountCents })
            .ToListAsync(cancellationToken);
        var net = new Dictionary<UsageMetric, PeriodSettlement.Amount>();
        foreach (var b in billed)
            net[b.Metric] = net.GetValueOrDefault(b.Metric) + new PeriodSettlement.Amount(b.Quantity, b.AmountCents);
        foreach (var c in credited)
            net[c.Metric] = net.GetValueOrDefault(c.Metric) - new PeriodSettlement.Amount(c.Quantity, c.AmountCents);
        return net;
    }

    /// <summary>The overage lines of a closed period computed now, against the plan in force at its end (none without a charged plan).</summary>
    public static Task<IReadOnlyList<OverageLine>> OverageNowAsync(PortalDbContext db, Tenant tenant, DateTimeOffset period, CancellationToken cancellationToken) =>
        OverageNowAsync(new DatabasePeriodBillingReads(db, tenant), tenant, period, cancellationToken);

    /// <summary>The same, from <paramref name="reads"/>.</summary>
    public static async Task<IReadOnlyList<OverageLine>> OverageNowAsync(IPeriodBillingReads reads, Tenant tenant, DateTimeOffset period, CancellationToken cancellationToken)
    {
        var plan = InvoiceBuilder.OveragePlan(await reads.SegmentsAsync(period, cancellationToken), period);
        if (plan is null)
            return [];
        var usage = await reads.PeriodUsageAsync(period, period.AddMonths(1), cancellationToken);
        return OverageCalculator.Lines(plan, usage, tenant.QuotaOverrides);
    }
}
