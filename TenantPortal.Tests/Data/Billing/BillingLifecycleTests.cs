using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>Trials that end, invoices that go unpaid, and operators who settle them: the trial-expiry and dunning jobs with their emails.</summary>
public abstract class BillingLifecycleTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : BillingLifecycleTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : BillingLifecycleTests(DatabaseProvider.PostgreSql);

    private static readonly CancellationToken None = CancellationToken.None;
    private readonly BillingScenario _s = new(provider);

    public Task InitializeAsync() => _s.InitializeAsync();

    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public async Task TrialExpiry_RemindsOnce3DaysBefore_ThenSuspends_AndQuotaChecksSayTrialExpired()
    {
        var t = await _s.AddTenantAsync("tryout", SubscriptionTier.Starter, BillingScenario.November, TenantStatus.Trial,
            trialEndsAt: _s.Bed.Time.GetUtcNow().AddDays(2.5));

        var first = await _s.Services.RunAsync<TrialExpiryService, (int, int)>(s => s.RunAsync(None));
        var second = await _s.Services.RunAsync<TrialExpiryService, (int, int)>(s => s.RunAsync(None));

        Assert.Equal(((1, 0), (0, 0)), (first, second));
        var reminder = Assert.Single(_s.Bed.Mail.Sent);
        Assert.Equal("owner@alpha.test", reminder.To);
        Assert.Contains("trial ends in 3 days", reminder.Subject);

        _s.Bed.Time.Advance(TimeSpan.FromDays(3));
        var end = await _s.Services.RunAsync<TrialExpiryService, (int, int)>(s => s.RunAsync(None));

        Assert.Equal((0, 1), end);
        Assert.Equal(TenantStatus.Suspended, (await _s.TenantAsync(t.Id)).Status);
        Assert.Contains(_s.Bed.Mail.Sent, m => m.Subject.Contains("trial has ended"));
        var check = await _s.Services.RunAsync<QuotaService, Result<QuotaDecision>>(q => q.CheckAsync(UsageMetric.ApiCalls, 1, None), t.Id);
        Assert.Equal(QuotaDenial.TrialExpired, check.Value.Reason);
    }

    [Fact]
    public async Task Dunning_AnOverdueLedgerInvoiceMakesThePastDue_ThenSuspendsAfterTheGracePeriod_WithEmails()
    {
        var t = await _s.AddTenantAsync("slowpay", SubscriptionTier.Starter, BillingScenario.October);
        await _s.InvoiceAsync();
        var invoice = (await _s.InvoicesAsync(t.Id)).Single();
        Assert.Equal(InvoiceStatus.Open, invoice.Status);

        _s.Bed.Time.SetUtcNow(invoice.DueAt.AddHours(1));
        await _s.Services.RunAsync<DunningService, (int, int)>(d => d.RunAsync(None));
        var pastDue = await _s.TenantAsync(t.Id);
        Assert.Equal((TenantStatus.PastDue, invoice.DueAt), (pastDue.Status, pastDue.PastDueSince!.Value));
        Assert.Contains(_s.Bed.Mail.Sent, m => m.Subject.Contains($"Invoice {invoice.Number} is overdue"));

        _s.Bed.Time.SetUtcNow(invoice.DueAt.AddDays(6));
        await _s.Services.RunAsync<DunningService, (int, int)>(d => d.RunAsync(None));
        Assert.Equal(TenantStatus.PastDue, (await _s.TenantAsync(t.Id)).Status);
        _s.Bed.Time.SetUtcNow(invoice.DueAt.AddDays(7).AddMinutes(1));
        await _s.Services.RunAsync<DunningService, (int, int)>(d => d.RunAsync(None));

        Assert.Equal(TenantStatus.Suspended, (await _s.TenantAsync(t.Id)).Status);
        Assert.Contains(_s.Bed.Mail.Sent, m => m.Subject.Contains("suspended for non-payment"));
        var check = await _s.Services.RunAsync<QuotaService, Result<QuotaDecision>>(q => q.CheckAsync(UsageMetric.ApiCalls, 1, None), t.Id);
        Assert.Equal(QuotaDenial.Suspended, check.Value.Reason);
    }

    [Fact]
    public async Task AnOperatorMarkingThePaid_EndsTheSuspension_WithTheReasonAudited()
    {
        var t = await _s.AddTenantAsync("settled", SubscriptionTier.Starter, BillingScenario.October);
        await _s.InvoiceAsync();
        var invoice = (await _s.InvoicesAsync(t.Id)).Single();
        _s.Bed.Time.SetUtcNow(invoice.DueAt.AddDays(8));
        await _s.Services.RunAsync<DunningService, (int, int)>(d => d.RunAsync(None));
        await _s.Services.RunAsync<DunningService, (int, int)>(d => d.RunAsync(None));
        Assert.Equal(TenantStatus.Suspended, (await _s.TenantAsync(t.Id)).Status);
        var op = await _s.OperatorAsync();

        var listed = await _s.Services.RunAsync<InvoiceSettlementService, Result<IReadOnlyList<OpenInvoiceRow>>>(s => s.ListOpenAsync(op, None));
        Assert.Contains(listed.Value, r => r.Id == invoice.Id && r.TenantSlug == "settled" && r.TotalCents == 4_900);
        var listedByOwner = await _s.Services.RunAsync<InvoiceSettlementService, Result<IReadOnlyList<OpenInvoiceRow>>>(s => s.ListOpenAsync(_s.Bed.ActorOf("owner"), None));
        Assert.Equal(ErrorCodes.Forbidden, listedByOwner.Error?.Code);
        var byTenantOwner = await _s.Services.RunAsync<InvoiceSettlementService, Result>(s => s.MarkPaidAsync(_s.Bed.ActorOf("owner"), invoice.Id, "paid", None));
        var noReason = await _s.Services.RunAsync<InvoiceSettlementService, Result>(s => s.MarkPaidAsync(op, invoice.Id, " ", None));
        var paid = await _s.Services.RunAsync<InvoiceSettlementService, Result>(s => s.MarkPaidAsync(op, invoice.Id, "bank transfer 2026-12-18", None));
        var again = await _s.Services.RunAsync<InvoiceSettlementService, Result>(s => s.VoidAsync(op, invoice.Id, "mistake", None));

        Assert.Equal(ErrorCodes.Forbidden, byTenantOwner.Error?.Code);
        Assert.Equal("reason", noReason.Error?.Field);
        Assert.True(paid.IsSuccess);
        Assert.Equal(ErrorCodes.InvoiceState, again.Error?.Code);
        var after = await _s.TenantAsync(t.Id);
        Assert.Equal((TenantStatus.Active, (DateTimeOffset?)null), (after.Status, after.PastDueSince));
        await using var db = _s.Bed.Database.CrossTenant();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.InvoicePaid && a.TenantId == t.Id);
        Assert.Contains("bank transfer 2026-12-18", entry.Details);
        Assert.Equal(InvoiceStatus.Paid, (await db.Invoices.SingleAsync(i => i.Id == invoice.Id)).Status);
        var remaining = await _s.Services.RunAsync<InvoiceSettlementService, Result<IReadOnlyList<OpenInvoiceRow>>>(s => s.ListOpenAsync(op, None));
        Assert.DoesNotContain(remaining.Value, r => r.Id == invoice.Id);
    }

    [Fact]
    public async Task AnOperatorVoidingAnInvoice_LeavesNothingOwed()
    {
        var t = await _s.AddTenantAsync("voided", SubscriptionTier.Starter, BillingScenario.October);
        await _s.InvoiceAsync();
        var invoice = (await _s.InvoicesAsync(t.Id)).Single();

        var voided = await _s.Services.RunAsync<InvoiceSettlementService, Result>(async s => await s.VoidAsync(await _s.OperatorAsync(), invoice.Id, "goodwill", None));

        Assert.True(voided.IsSuccess);
        _s.Bed.Time.SetUtcNow(invoice.DueAt.AddDays(1));
        await _s.Services.RunAsync<DunningService, (int, int)>(d => d.RunAsync(None));
        Assert.Equal(TenantStatus.Active, (await _s.TenantAsync(t.Id)).Status);
    }

    [Fact]
    public async Task InvoiceLines_CanBeTraced_ToTheirDaysAndEvents()
    {
        var t = await _s.AddTenantAsync("traced", SubscriptionTier.Starter, BillingScenario.October);
        await _s.UseAsync(t.Id, UsageMetric.ApiCalls, 70_000, BillingScenario.October.AddDays(1).AddHours(3));
        await _s.UseAsync(t.Id, UsageMetric.ApiCalls, 40_000, BillingScenario.October.AddDays(8));
        await _s.InvoiceAsync();
        var invoice = (await _s.InvoicesAsync(t.Id)).Single();
        var line = invoice.Lines.Single(l => l.Kind == InvoiceLineKind.Overage);
        var owner = _s.Bed.ActorOf("owner");

        var days = await _s.Services.RunAsync<InvoiceService, Result<IReadOnlyList<DailyUsage>>>(s => s.LineUsageAsync(owner, invoice.Number, line.Id, None), t.Id);
        var csv = new StringWriter();
        var file = await _s.Services.RunAsync<InvoiceService, Result<string>>(s => s.WriteLineEventsCsvAsync(owner, invoice.Number, line.Id, csv, None), t.Id);
        var baseLine = invoice.Lines.Single(l => l.Kind == InvoiceLineKind.Base);
        var untraceable = await _s.Services.RunAsync<InvoiceService, Result<IReadOnlyList<DailyUsage>>>(s => s.LineUsageAsync(owner, invoice.Number, baseLine.Id, None), t.Id);

        Assert.Equal(31, days.Value.Count);
        Assert.Equal(110_000m, days.Value.Sum(d => d.Value));
        Assert.Equal(70_000m, days.Value.Single(d => d.Day == new DateOnly(2026, 10, 2)).Value);
        var rows = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(InvoiceService.CsvHeader, rows[0].TrimEnd('\r'));
        Assert.Equal(2, rows.Length - 1);
        Assert.Contains(",api_calls,70000,2026-10-02T03:00:00.000Z,", rows[1]);
        Assert.Equal("TRACED-202610-api_calls-2026-10.csv", file.Value);
        Assert.Equal("lineId", untraceable.Error?.Field);
    }

    [Fact]
    public async Task WholeInvoiceCsv_HoldsTheEventsOfEveryUsageLine_AndOnlyThose()
    {
        var t = await _s.AddTenantAsync("whole", SubscriptionTier.Starter, BillingScenario.October);
        await _s.UseAsync(t.Id, UsageMetric.ApiCalls, 70_000, BillingScenario.October.AddDays(1).AddHours(3));
        await _s.UseAsync(t.Id, UsageMetric.ApiCalls, 40_000, BillingScenario.October.AddDays(8));
        await _s.UseAsync(t.Id, UsageMetric.GpuHours, 60, BillingScenario.October.AddDays(9));
        await _s.UseAsync(t.Id, UsageMetric.GpuHours, 1, BillingScenario.November.AddHours(1));
        await _s.InvoiceAsync();
        var invoice = (await _s.InvoicesAsync(t.Id)).Single();
        var owner = _s.Bed.ActorOf("owner");

        var csv = new StringWriter();
        var file = await _s.Services.RunAsync<InvoiceService, Result<string>>(s => s.WriteInvoiceEventsCsvAsync(owner, invoice.Number, csv, None), t.Id);
        var named = await _s.Services.RunAsync<InvoiceService, Result<string>>(s => s.InvoiceEventsFileNameAsync(owner, invoice.Number, None), t.Id);
        var unknown = await _s.Services.RunAsync<InvoiceService, Result<string>>(s => s.WriteInvoiceEventsCsvAsync(owner, "NOPE-202610", new StringWriter(), None), t.Id);

        Assert.Equal(2, invoice.Lines.Count(l => l.Kind == InvoiceLineKind.Overage));
        var rows = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.TrimEnd('\r')).ToList();
        Assert.Equal(InvoiceService.CsvHeader, rows[0]);
        Assert.Equal(3, rows.Count - 1);
        Assert.Equal(2, rows.Count(r => r.Contains(",api_calls,", StringComparison.Ordinal)));
        Assert.Single(rows, r => r.Contains(",gpu_hours,60,2026-10-10T00:00:00.000Z,", StringComparison.Ordinal));
        Assert.Equal("WHOLE-202610-usage.csv", file.Value);
        Assert.Equal(file.Value, named.Value);
        Assert.Equal(ErrorCodes.NotFound, unknown.Error?.Code);
    }

    [Fact]
    public async Task WholeInvoiceCsv_OfAnInvoiceWithoutUsageLines_IsTheHeaderAlone()
    {
        var t = await _s.AddTenantAsync("plain", SubscriptionTier.Starter, BillingScenario.October);
        await _s.UseAsync(t.Id, UsageMetric.ApiCalls, 10, BillingScenario.October.AddDays(1));
        await _s.InvoiceAsync();
        var invoice = (await _s.InvoicesAsync(t.Id)).Single();

        var csv = new StringWriter();
        var file = await _s.Services.RunAsync<InvoiceService, Result<string>>(s => s.WriteInvoiceEventsCsvAsync(_s.Bed.ActorOf("owner"), invoice.Number, csv, None), t.Id);

        Assert.True(file.IsSuccess);
        Assert.Equal(InvoiceService.CsvHeader, csv.ToString().TrimEnd());
    }
}
