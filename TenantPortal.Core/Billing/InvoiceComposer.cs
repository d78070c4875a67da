using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Core.Billing;

/// <summary>Composes the invoice of one monthly period: a base line for the plan and one overage line per metric over its quota.</summary>
public static class InvoiceComposer
{
    /// <summary>The invoice number of a tenant's period, e.g. <c>ACME-202610</c>; unique because (tenant, period) is.</summary>
    public static string Number(string slug, DateTimeOffset periodStart) => $"{slug.ToUpperInvariant()}-{periodStart.UtcDateTime:yyyyMM}";

    /// <summary>
    /// Builds an <see cref="InvoiceStatus.Open"/> invoice for the month starting at <paramref name="periodStart"/>,
    /// issued at <paramref name="issuedAt"/> and due 14 days later. Every line is rounded once to the cent.
    /// </summary>
    public static Invoice Compose(Tenant tenant, DateTimeOffset periodStart, PeriodUsage usage, DateTimeOffset issuedAt)
    {
        var plan = PlanCatalog.For(tenant.Tier);
        var invoice = new Invoice
        {
            TenantId = tenant.Id,
            Number = Number(tenant.Slug, periodStart),
            PeriodStart = periodStart,
            PeriodEnd = periodStart.AddMonths(1),
            Tier = tenant.Tier,
            Status = InvoiceStatus.Open,
            IssuedAt = issuedAt,
            DueAt = issuedAt.AddDays(14),
        };
        invoice.Lines.Add(new InvoiceLine
        {
            TenantId = tenant.Id,
            InvoiceId = invoice.Id,
            Kind = InvoiceLineKind.Base,
            Description = $"{plan.Tier} plan, {periodStart.UtcDateTime:MMMM yyyy}",
            Quantity = 1,
            UnitPriceCents = plan.MonthlyPriceCents,
            AmountCents = plan.MonthlyPriceCents,
        });
        foreach (var line in OverageCalculator.Lines(plan, usage, tenant.QuotaOverrides))
        {
            invoice.Lines.Add(new InvoiceLine
            {
                TenantId = tenant.Id,
                InvoiceId = invoice.Id,
                Kind = InvoiceLineKind.Overage,
                Metric = line.Metric,
                Description = $"{UsageMetrics.DisplayName(line.Metric)} over the {line.Included:N0} included",
                Quantity = line.Quantity,
                UnitPriceCents = line.UnitPriceCents,
                AmountCents = line.AmountCents,
            });
        }
        invoice.RecalculateTotal();
        return invoice;
    }
}
