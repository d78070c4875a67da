using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>The Stripe gateway's credit notes against the stand-in: what Stripe.net sends, with its idempotency key, and a retry.</summary>
public sealed class StripeCreditNoteGatewayTests : IDisposable
{
    private readonly StripeStandIn _stripe = new();

    public void Dispose() => _stripe.Dispose();

    [Fact]
    public async Task IssueCreditNoteAsync_CreatesStripeCreditNote_WithLinesAndIdempotencyKeyFromTheNumber()
    {
        var (tenant, invoice, note) = Arrange(InvoiceStatus.Open);
        _stripe.OnCreditNote("cn_new");

        var result = await _stripe.CreateGateway().IssueCreditNoteAsync(tenant, invoice, note, default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(new IssuedCreditNote(CreditNoteSettlement.AmountDueReduced, "cn_new"), result.Value);
        var call = Assert.Single(_stripe.CallsTo("POST", "/v1/credit_notes"));
        Assert.Equal("tp-credit-note-ACME-202610-CN1", call.IdempotencyKey);
        Assert.Equal("in_oct", call.Form["invoice"]);
        Assert.Equal("custom_line_item", call.Form["lines[0][type]"]);
        Assert.Equal("2000", call.Form["lines[0][unit_amount]"]);
        Assert.Equal("1", call.Form["lines[0][quantity]"]);
        Assert.Equal("3667", call.Form["lines[1][unit_amount]"]);
        Assert.Equal("ACME-202610-CN1", call.Form["metadata[tenantportal_credit_note_number]"]);
        Assert.Equal("2026-10", call.Form["metadata[usage_period]"]);
        Assert.False(call.Form.ContainsKey("credit_amount"));
    }

    [Fact]
    public async Task IssueCreditNoteAsync_CreditsTheCustomerBalance_WhenTheInvoiceIsPaid()
    {
        var (tenant, invoice, note) = Arrange(InvoiceStatus.Paid);
        _stripe.OnCreditNote("cn_paid");

        var result = await _stripe.CreateGateway().IssueCreditNoteAsync(tenant, invoice, note, default);

        Assert.Equal(CreditNoteSettlement.CustomerBalance, result.Value.Settlement);
        Assert.Equal("5667", Assert.Single(_stripe.CallsTo("POST", "/v1/credit_notes")).Form["credit_amount"]);
    }

    [Fact]
    public async Task IssueCreditNoteAsync_ReturnsTheStripeCreditNoteMadeEarlier_WithoutCreatingASecond()
    {
        var (tenant, invoice, note) = Arrange(InvoiceStatus.Open);
        _stripe.OnCreditNote(existing: note.Number);

        var result = await _stripe.CreateGateway().IssueCreditNoteAsync(tenant, invoice, note, default);

        Assert.Equal("cn_existing", result.Value.ProviderCreditNoteId);
        Assert.Empty(_stripe.CallsTo("POST", "/v1/credit_notes"));
        Assert.Equal("in_oct", Assert.Single(_stripe.CallsTo("GET", "/v1/credit_notes")).Query["invoice"]);
    }

    [Fact]
    public async Task IssueCreditNoteAsync_IsAPaymentProviderFailure_WhenStripeIsUnreachable()
    {
        var (tenant, invoice, note) = Arrange(InvoiceStatus.Open);

        var result = await StripeStandIn.CreateGateway(StripeStandIn.ClosedPortUrl()).IssueCreditNoteAsync(tenant, invoice, note, default);

        Assert.Equal(ErrorCodes.PaymentProvider, result.Error?.Code);
    }

    // ACME's October invoice in Stripe, and a pending credit note of $20.00 (API calls) and $36.67 (GPU hours) against it.
    private static (Tenant, Invoice, CreditNote) Arrange(InvoiceStatus status)
    {
        var tenant = new TenantBuilder().WithSlug("acme").Build().LinkStripe("cus_standin");
        var october = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var invoice = new Invoice
        {
            TenantId = tenant.Id, Number = "ACME-202610", PeriodStart = october, PeriodEnd = october.AddMonths(1), Status = status,
            StripeInvoiceId = "in_oct", TotalCents = 11_900,
        };
        var lines = PeriodSettlement.CreditLines(october,
            [new OverageLine(UsageMetric.GpuHours, 50, 55.333m, 5.333m, 250, 1_333)],
            new Dictionary<UsageMetric, PeriodSettlement.Amount>
            {
                [UsageMetric.ApiCalls] = new(20_000, 2_000),
                [UsageMetric.GpuHours] = new(20, 5_000),
            });
        return (tenant, invoice, CreditNote.Create(invoice, 1, lines, "Duplicate events voided", "corr-1", october.AddMonths(1).AddDays(3)));
    }
}
