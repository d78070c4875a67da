using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Tests.Builders;

namespace TenantPortal.Tests.Core;

public class InvoiceComposerTests
{
    private static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compose_BillsBasePlusOverage_ForTheWorkedExample()
    {
        var tenant = new TenantBuilder().WithSlug("acme").OnPlan(SubscriptionTier.Professional).Build();

        var invoice = InvoiceComposer.Compose(tenant, October, new PeriodUsage(1_050_000, 1_100, 210), October.AddMonths(1).AddHours(27));

        Assert.Equal(27_630, invoice.TotalCents);
        Assert.Equal(4, invoice.Lines.Count);
        Assert.Equal(19_900, invoice.Lines.Single(l => l.Kind == InvoiceLineKind.Base).AmountCents);
        Assert.Equal("ACME-202610", invoice.Number);
        Assert.Equal(InvoiceStatus.Open, invoice.Status);
        Assert.Equal(October.AddMonths(1), invoice.PeriodEnd);
        Assert.All(invoice.Lines, l => Assert.Equal(tenant.Id, l.TenantId));
    }

    [Fact]
    public void Compose_HasOnlyTheBaseLine_WithinQuota()
    {
        var tenant = new TenantBuilder().OnPlan(SubscriptionTier.Starter).Build();

        var invoice = InvoiceComposer.Compose(tenant, October, new PeriodUsage(10, 1, 1), October.AddMonths(1));

        Assert.Equal(4_900, Assert.Single(invoice.Lines).AmountCents);
        Assert.Equal(4_900, invoice.TotalCents);
    }
}
