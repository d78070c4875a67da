using TenantPortal.Core.Billing;
using TenantPortal.Core.Billing.Credits;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>Prepaid credits through the Stripe gateway, against the Stripe stand-in.</summary>
public sealed class StripeCreditGatewayTests : IDisposable
{
    private static readonly Uri ReturnUrl = new("https://portal.example.test/t/acme/billing");
    private readonly StripeStandIn _stripe = new();

    public void Dispose() => _stripe.Dispose();

    [Fact]
    public async Task StartCreditPurchaseAsync_OpensAPaymentModeCheckout_NamingTheTenantAndTheAmount()
    {
        var tenant = new TenantBuilder().Build().LinkStripe("cus_credits");
        _stripe.OnCheckoutSession("https://checkout.stripe.test/c/pay/cs_credits");

        var result = await _stripe.CreateGateway().StartCreditPurchaseAsync(tenant, 2_500, ReturnUrl, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("https://checkout.stripe.test/c/pay/cs_credits", result.Value);
        var call = Assert.Single(_stripe.CallsTo("POST", "/v1/checkout/sessions"));
        Assert.Equal("payment", call.Form["mode"]);
        Assert.Equal("cus_credits", call.Form["customer"]);
        Assert.Equal(tenant.Id.ToString(), call.Form["metadata[tenant_id]"]);
        Assert.Equal("credits", call.Form["metadata[purpose]"]);
        Assert.Equal("2500", call.Form["metadata[amount_cents]"]);
        Assert.Equal(tenant.Id.ToString(), call.Form["payment_intent_data[metadata][tenant_id]"]);
        Assert.Equal("2500", call.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("usd", call.Form["line_items[0][price_data][currency]"]);
        Assert.Equal("https://portal.example.test/t/acme/billing?credits=success&session_id={CHECKOUT_SESSION_ID}", call.Form["success_url"]);
        Assert.Equal("https://portal.example.test/t/acme/billing?credits=cancelled", call.Form["cancel_url"]);
        Assert.StartsWith($"tp-credits-checkout-{tenant.Id}-2500-", call.IdempotencyKey);
        Assert.Empty(_stripe.CallsTo("POST", "/v1/customers"));
    }

    [Fact]
    public async Task IssueInvoiceAsync_CarriesTheCreditLine_AsANegativeInvoiceItem()
    {
        var tenant = new TenantBuilder().Build().LinkStripe("cus_inv", "sub_inv");
        var invoice = new Invoice
        {
            TenantId = tenant.Id, Number = "ACME-202610", PeriodStart = BillingScenario.October, PeriodEnd = BillingScenario.November,
            Tier = SubscriptionTier.Starter, Status = InvoiceStatus.Draft,
        };
        invoice.Lines.Add(new InvoiceLine
        {
            TenantId = tenant.Id, InvoiceId = invoice.Id, Kind = InvoiceLineKind.Base, Description = "Starter (billed by your subscription in Stripe)",
            Quantity = 1, UnitPriceCents = 4_900,
        });
        invoice.Lines.Add(new InvoiceLine
        {
            TenantId = tenant.Id, InvoiceId = invoice.Id, Kind = InvoiceLineKind.Overage, Metric = UsageMetric.ApiCalls, UsagePeriodStart = invoice.PeriodStart,
            Description = "API calls over the 100,000 included", Quantity = 20_000, UnitPriceCents = 0.1m, AmountCents = 2_000,
        });
        var grant = CreditGrant.Create(tenant.Id, CreditSource.Promotional, 1_200, 10, null, "welcome", "op", BillingScenario.October).Value;
        CreditAllocator.Apply(invoice, [grant], BillingScenario.November.AddDays(1));
        _stripe.OnInvoice("in_credit", "open");

        var result = await _stripe.CreateGateway().IssueInvoiceAsync(tenant, invoice, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var items = _stripe.CallsTo("POST", "/v1/invoiceitems");
        // The base is billed by the subscription; the overage and the credits go on the usage invoice.
        Assert.Equal([("2000", "API calls over the 100,000 included"), ("-1200", "Credits applied")],
            items.Select(i => (i.Form["amount"], i.Form["description"])));
        var credit = invoice.Lines.Single(l => l.Kind == InvoiceLineKind.CreditsApplied);
        Assert.Equal($"tp-invoice-item-{credit.Id}", items[1].IdempotencyKey);
        Assert.Equal(800, invoice.TotalCents);
    }
}
