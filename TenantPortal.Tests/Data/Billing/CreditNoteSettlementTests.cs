using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Metering.Corrections;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>
/// Corrections of an invoiced period, settled to the cent: a decrease is a credit note now, an increase an adjustment line
/// on the next invoice, a revert restores every figure, and nothing is credited or invoiced twice. Corrections are driven
/// as the corrections service applies them: compensating events at the original timestamps, then the observer.
/// </summary>
public abstract class CreditNoteSettlementTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : CreditNoteSettlementTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : CreditNoteSettlementTests(DatabaseProvider.PostgreSql);

    private static readonly DateTimeOffset October = BillingScenario.October;
    private static readonly DateTimeOffset November = BillingScenario.November;
    private readonly BillingScenario _s = new(provider);
    private int _events;

    public Task InitializeAsync() => _s.InitializeAsync();

    public Task DisposeAsync() => _s.DisposeAsync();

    // A Starter tenant's October: 120,000 API calls (20,000 over: $20.00) and 70 GPU hours (20 over: $50.00), invoiced
    // on the ledger at $49.00 + $20.00 + $50.00 = $119.00.
    private async Task<Tenant> InvoicedOctoberAsync(string slug)
    {
        var tenant = await _s.AddTenantAsync(slug, SubscriptionTier.Starter, October);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 60_000, October.AddDays(2));
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 60_000, October.AddDays(9));
        await _s.UseAsync(tenant.Id, UsageMetric.GpuHours, 70, October.AddDays(5));
        await _s.InvoiceAsync();
        Assert.Equal(4_900 + 2_000 + 5_000, (await _s.InvoicesAsync(tenant.Id)).Single().TotalCents);
        return tenant;
    }

    // The void of the second 60,000-call event and the amend of the GPU event from 70 to 55.333 hours.
    private Task VoidAndAmendAsync(Tenant tenant, bool reverted = false) => CorrectAsync(tenant, "corr-1", reverted,
        (UsageMetric.ApiCalls, October.AddDays(9), -60_000m), (UsageMetric.GpuHours, October.AddDays(5), 55.333m - 70m));

    private async Task CorrectAsync(Tenant tenant, string correctionId, bool reverted, params (UsageMetric Metric, DateTimeOffset At, decimal Delta)[] changes)
    {
        var sign = reverted ? -1 : 1;
        foreach (var (metric, at, delta) in changes)
        {
            await using var db = _s.Bed.Database.CrossTenant();
            db.UsageEvents.Add(new UsageEvent
            {
                TenantId = tenant.Id, ClientEventId = $"correction:{correctionId}:{(reverted ? "revert" : "apply")}:{++_events}", Metric = metric,
                Quantity = sign * delta, Timestamp = at, ReceivedAt = _s.Bed.Time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        await ObserveAsync(new UsageCorrectionApplied(tenant.Id, correctionId, reverted, reverted ? "Voided by mistake" : "Duplicate events",
            changes.Select(c => new UsageQuantityChange(c.Metric, c.At, sign * c.Delta)).ToList()));
    }

    private Task ObserveAsync(UsageCorrectionApplied applied) =>
        _s.Services.GetRequiredService<IUsageCorrectionObserver>().CorrectedAsync(applied, CancellationToken.None);

    private async Task<List<CreditNote>> CreditNotesAsync(Guid tenantId)
    {
        await using var db = _s.Bed.Database.CrossTenant();
        return await db.CreditNotes.Include(n => n.Lines).Where(n => n.TenantId == tenantId).OrderBy(n => n.Sequence).ToListAsync();
    }

    [Fact]
    public async Task AVoidAndAnAmend_InAnInvoicedPeriod_IssueOneCreditNoteOfTheExactAmount()
    {
        var tenant = await InvoicedOctoberAsync("voider");

        await VoidAndAmendAsync(tenant);

        var note = Assert.Single(await CreditNotesAsync(tenant.Id));
        Assert.Equal(("VOIDER-202610-CN1", "VOIDER-202610", October, "corr-1"), (note.Number, note.InvoiceNumber, note.UsagePeriodStart, note.CorrectionId));
        // API calls: 60,000 now, within the 100,000 included: the $20.00 billed comes back. GPU hours: 5.333 over at $2.50
        // is $13.3325, rounded once to $13.33: $50.00 - $13.33 = $36.67.
        Assert.Equal([(UsageMetric.ApiCalls, 20_000m, 2_000L), (UsageMetric.GpuHours, 14.667m, 3_667L)],
            note.Lines.OrderBy(l => l.Position).Select(l => (l.Metric, l.Quantity, l.AmountCents)));
        Assert.Equal(5_667, note.TotalCents);
        Assert.Equal((CreditNoteStatus.Issued, CreditNoteSettlement.AmountDueReduced), (note.Status, note.Settlement));
        var invoice = Assert.Single(await _s.InvoicesAsync(tenant.Id));
        Assert.Equal((InvoiceStatus.Open, 11_900L), (invoice.Status, invoice.TotalCents));
        await using var db = _s.Bed.Database.CrossTenant();
        Assert.Single(await db.AuditEntries.Where(e => e.TenantId == tenant.Id && e.Action == AuditActions.CreditNoteIssued).ToListAsync());
    }

    [Fact]
    public async Task TheObserverRunTwice_AndConcurrently_IssuesOneCreditNote()
    {
        var tenant = await InvoicedOctoberAsync("twice");
        await VoidAndAmendAsync(tenant);
        var applied = new UsageCorrectionApplied(tenant.Id, "corr-1", false, "Duplicate events",
            [new UsageQuantityChange(UsageMetric.ApiCalls, October.AddDays(9), -60_000)]);

        await Task.WhenAll(ObserveAsync(applied), ObserveAsync(applied), ObserveAsync(applied));
        await _s.InvoiceAsync();

        Assert.Equal(5_667, Assert.Single(await CreditNotesAsync(tenant.Id)).TotalCents);
    }

    [Fact]
    public async Task AnIncrease_IsAnAdjustmentLineOfTheExactAmountOnTheNextInvoice_AndNoCreditNote()
    {
        var tenant = await InvoicedOctoberAsync("raiser");

        // A backfill of 5,005 October calls: $5.005, billed as "cents now minus cents billed": $25.01 - $20.00 = $5.01.
        await CorrectAsync(tenant, "backfill-1", false, (UsageMetric.ApiCalls, October.AddDays(20), 5_005m));
        Assert.Empty(await CreditNotesAsync(tenant.Id));
        _s.Bed.Time.SetUtcNow(November.AddMonths(1).AddDays(2));
        await _s.InvoiceAsync();

        var invoices = await _s.InvoicesAsync(tenant.Id);
        Assert.Equal(2, invoices.Count);
        var adjustment = Assert.Single(invoices[1].Lines, l => l.Kind == InvoiceLineKind.Adjustment);
        Assert.Equal((UsageMetric.ApiCalls, October, 5_005m, 501L), (adjustment.Metric!.Value, adjustment.UsagePeriodStart!.Value, adjustment.Quantity, adjustment.AmountCents));
        Assert.Equal(4_900 + 501, invoices[1].TotalCents);
    }

    [Fact]
    public async Task ARevertOfTheVoid_AfterItsCreditNote_IsAnAdjustmentOnTheNextInvoiceRestoringTheTotal()
    {
        var tenant = await InvoicedOctoberAsync("reverter");
        await VoidAndAmendAsync(tenant);

        _s.Bed.Time.SetUtcNow(November.AddDays(25));
        await VoidAndAmendAsync(tenant, reverted: true);
        // The revert raises October again: nothing is credited back (no negative credit note), nothing invoiced yet.
        Assert.Single(await CreditNotesAsync(tenant.Id));
        _s.Bed.Time.SetUtcNow(November.AddMonths(1).AddDays(2));
        await _s.InvoiceAsync();

        var invoices = await _s.InvoicesAsync(tenant.Id);
        var adjustments = invoices[1].Lines.Where(l => l.Kind == InvoiceLineKind.Adjustment).OrderBy(l => l.Metric).ToList();
        Assert.Equal([(UsageMetric.ApiCalls, 2_000L), (UsageMetric.GpuHours, 3_667L)], adjustments.Select(l => (l.Metric!.Value, l.AmountCents)));
        // October's net: $70.00 of overage billed, $56.67 credited, $56.67 billed again: $70.00, as first invoiced.
        var billed = invoices.SelectMany(i => i.Lines).Where(l => l.UsagePeriodStart == October && l.Metric != null).Sum(l => l.AmountCents);
        Assert.Equal(7_000, billed - (await CreditNotesAsync(tenant.Id)).Sum(n => n.TotalCents));
        // Never a second invoice for October; a later run adds nothing more.
        Assert.Single(invoices, i => i.PeriodStart == October);
        _s.Bed.Time.SetUtcNow(November.AddMonths(2).AddDays(2));
        await _s.InvoiceAsync();
        Assert.DoesNotContain((await _s.InvoicesAsync(tenant.Id)).Last().Lines, l => l.Kind == InvoiceLineKind.Adjustment);
        Assert.Single(await CreditNotesAsync(tenant.Id));
    }

    [Fact]
    public async Task VoidingAllOfAPeriodsUsage_CreditsAllItsOverage_AndTheBaseStaysOwed()
    {
        var tenant = await InvoicedOctoberAsync("settled");
        // All of October's usage voided: the whole $70.00 of overage credited; the $49.00 base stays owed.
        await CorrectAsync(tenant, "corr-all", false, (UsageMetric.ApiCalls, October.AddDays(2), -60_000m),
            (UsageMetric.ApiCalls, October.AddDays(9), -60_000m), (UsageMetric.GpuHours, October.AddDays(5), -70m));

        var note = Assert.Single(await CreditNotesAsync(tenant.Id));
        Assert.Equal(7_000, note.TotalCents);
        Assert.Equal(InvoiceStatus.Open, (await _s.InvoicesAsync(tenant.Id)).Single().Status);
    }

    [Fact]
    public async Task ACorrectionOfAPeriodWithoutAnIssuedInvoice_CreditsNothing()
    {
        var tenant = await _s.AddTenantAsync("running", SubscriptionTier.Starter, October);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 150_000, November.AddDays(2));

        await CorrectAsync(tenant, "corr-now", false, (UsageMetric.ApiCalls, November.AddDays(2), -100_000m));

        Assert.Empty(await CreditNotesAsync(tenant.Id));
    }
}
