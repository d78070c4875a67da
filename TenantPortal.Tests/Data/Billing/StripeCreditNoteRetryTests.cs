using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Metering.Corrections;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>A credit note of an invoice in Stripe that Stripe refused at first: it stays pending, and the daily run issues it, once.</summary>
public sealed class StripeCreditNoteRetryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset October = BillingScenario.October;
    private readonly StripeStandIn _stripe = new();
    private readonly BillingScenario _s;

    public StripeCreditNoteRetryTests() => _s = new BillingScenario(DatabaseProvider.Sqlite) { Gateway = _stripe.CreateGateway() };

    public Task InitializeAsync() => _s.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _s.DisposeAsync();
        _stripe.Dispose();
    }

    [Fact]
    public async Task ACreditNoteStripeRefused_StaysPending_AndTheDailyRunIssuesIt()
    {
        var tenant = await _s.AddTenantAsync("retry", SubscriptionTier.Starter, October);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 120_000, October.AddDays(2));
        await _s.InvoiceAsync();
        await using (var db = _s.Bed.Database.CrossTenant())
        {
            // The October invoice as the Stripe subscription's would be: in Stripe.
            var invoice = await db.Invoices.SingleAsync(i => i.TenantId == tenant.Id);
            invoice.StripeInvoiceId = "in_retry";
            await db.SaveChangesAsync();
            db.UsageEvents.Add(new UsageEvent
            {
                TenantId = tenant.Id, ClientEventId = "correction:c1:1", Metric = UsageMetric.ApiCalls, Quantity = -30_000,
                Timestamp = October.AddDays(2), ReceivedAt = _s.Bed.Time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        _stripe.On("GET", "/v1/credit_notes", """{"object":"list","data":[],"has_more":false,"url":"/v1/credit_notes"}""")
            .OnFirstThen("POST", "/v1/credit_notes",
                (400, StripeStandIn.ErrorJson("invalid_request_error", "invoice_not_editable", "Try later")),
                (200, """{"id":"cn_retry","object":"credit_note","status":"issued"}"""));

        await _s.Services.GetRequiredService<IUsageCorrectionObserver>().CorrectedAsync(new UsageCorrectionApplied(tenant.Id, "c1", false, "Test calls",
            [new UsageQuantityChange(UsageMetric.ApiCalls, October.AddDays(2), -30_000)]), CancellationToken.None);
        var pending = Assert.Single(await NotesAsync(tenant.Id));
        Assert.Equal((CreditNoteStatus.Pending, 2_000L), (pending.Status, pending.TotalCents));

        await _s.InvoiceAsync();
        await _s.InvoiceAsync();

        var issued = Assert.Single(await NotesAsync(tenant.Id));
        Assert.Equal((CreditNoteStatus.Issued, "cn_retry", CreditNoteSettlement.AmountDueReduced), (issued.Status, issued.StripeCreditNoteId, issued.Settlement));
        var posts = _stripe.CallsTo("POST", "/v1/credit_notes");
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal("tp-credit-note-RETRY-202610-CN1", p.IdempotencyKey));
    }

    private async Task<List<CreditNote>> NotesAsync(Guid tenantId)
    {
        await using var db = _s.Bed.Database.CrossTenant();
        return await db.CreditNotes.Where(n => n.TenantId == tenantId).ToListAsync();
    }
}
