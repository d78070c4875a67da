using System.Globalization;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Core.Billing;

/// <summary>
/// Composes the invoice of one monthly period: the base lines of the plan history (prorated where the plan changed),
/// one overage line per metric over its quota, and the adjustment lines of usage that arrived after an earlier period
/// was invoiced. Every line is rounded once to the cent; the total is the sum of the lines.
/// </summary>
public static class InvoiceComposer
{
    /// <summary>Days between issue and due date.</summary>
    public const int PaymentTermDays = 14;

    /// <summary>The invoice number of a tenant's period, e.g. <c>ACME-202610</c>; unique because (tenant, period) is.</summary>
    public static string Number(string slug, DateTimeOffset periodStart) => $"{slug.ToUpperInvariant()}-{periodStart.UtcDateTime:yyyyMM}";

    /// <summary>
    /// Builds an <see cref="InvoiceStatus.Open"/> invoice for the month starting at <paramref name="periodStart"/>.
    /// <paramref name="overagePlan"/> is the plan whose quotas the period's usage is measured against (the plan in
    /// force at the period's end), or null when no overage is billed (a trial, a cancelled subscription).
    /// </summary>
    public static Invoice Compose(Tenant tenant, DateTimeOffset periodStart, IEnumerable<BaseCharge> baseCharges, Plan? overagePlan,
        PeriodUsage usage, IEnumerable<InvoiceLine> adjustments, DateTimeOffset issuedAt)
    {
        var invoice = new Invoice
        {
            TenantId = tenant.Id,
            Number = Number(tenant.Slug, periodStart),
            PeriodStart = periodStart,
            PeriodEnd = periodStart.AddMonths(1),
            Tier = overagePlan?.Tier ?? tenant.Tier,
            Status = InvoiceStatus.Open,
            IssuedAt = issuedAt,
            DueAt = issuedAt.AddDays(PaymentTermDays),
        };
        foreach (var charge in baseCharges)
        {
            invoice.Lines.Add(new InvoiceLine
            {
                TenantId = tenant.Id,
                InvoiceId = invoice.Id,
                Kind = charge.Kind,
                Description = charge.Description,
                Quantity = Math.Round(charge.Fraction, 6, MidpointRounding.AwayFromZero),
                UnitPriceCents = PlanCatalog.For(charge.Tier).PriceCents(charge.Cycle) * (charge.Kind == InvoiceLineKind.Adjustment ? -1 : 1),
                AmountCents = charge.AmountCents,
            });
        }
        if (overagePlan is not null)
        {
            foreach (var line in OverageCalculator.Lines(overagePlan, usage, tenant.QuotaOverrides))
                invoice.Lines.Add(OverageLine(tenant.Id, invoice.Id, periodStart, line));
        }
        foreach (var adjustment in adjustments)
        {
            adjustment.TenantId = tenant.Id;
            adjustment.InvoiceId = invoice.Id;
            invoice.Lines.Add(adjustment);
        }
        invoice.RecalculateTotal();
        return invoice;
    }

    /// <summary>The invoice of a whole month on the tenant's current plan, charged (the simple case; used for demo history).</summary>
    public static Invoice Compose(Tenant tenant, DateTimeOffset periodStart, PeriodUsage usage, DateTimeOffset issuedAt)
    {
        var segment = new PlanSegment { TenantId = tenant.Id, Tier = tenant.Tier, Cycle = BillingCycle.Monthly, Charged = true, StartsAt = periodStart };
        return Compose(tenant, periodStart, BaseCharges.For([segment], periodStart), PlanCatalog.For(tenant.Tier), usage, [], issuedAt);
    }

    /// <summary>
    /// The adjustment line of usage reported after <paramref name="usagePeriodStart"/> was invoiced: the difference
    /// between what the period's overage comes to now and what was billed for it before, in quantity and in cents
    /// (so that rounding never drifts across several adjustments). Null when nothing changed.
    /// </summary>
    public static InvoiceLine? LateUsageAdjustment(UsageMetric metric, DateTimeOffset usagePeriodStart, OverageLine? now,
        decimal billedQuantity, long billedCents)
    {
        var quantity = (now?.Quantity ?? 0) - billedQuantity;
        var amount = (now?.AmountCents ?? 0) - billedCents;
        if (quantity == 0 && amount == 0)
            return null;
        return new InvoiceLine
        {
            Kind = InvoiceLineKind.Adjustment,
            Metric = metric,
            UsagePeriodStart = usagePeriodStart,
            Description = string.Create(CultureInfo.InvariantCulture,
                $"{UsageMetrics.DisplayName(metric)} reported after {usagePeriodStart.UtcDateTime:MMMM yyyy} was invoiced"),
            Quantity = quantity,
            UnitPriceCents = OverageRates.UnitPriceCents(metric) ?? 0,
            AmountCents = amount,
        };
    }

    private static InvoiceLine OverageLine(Guid tenantId, Guid invoiceId, DateTimeOffset periodStart, OverageLine line) => new()
    {
        TenantId = tenantId,
        InvoiceId = invoiceId,
        Kind = InvoiceLineKind.Overage,
        Metric = line.Metric,
        UsagePeriodStart = periodStart,
        Description = string.Create(CultureInfo.InvariantCulture, $"{UsageMetrics.DisplayName(line.Metric)} over the {line.Included:N0} included"),
        Quantity = line.Quantity,
        UnitPriceCents = line.UnitPriceCents,
        AmountCents = line.AmountCents,
    };
}
