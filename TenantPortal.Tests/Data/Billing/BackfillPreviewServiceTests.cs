using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering.Corrections;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>
/// The operators' backfill preview against the bill as it stands, then the backfill applied through the corrections
/// service: the preview's figures are what the invoices and credit notes then come to.
/// </summary>
public sealed class BackfillPreviewServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset August = BillingScenario.October.AddMonths(-2);
    private static readonly DateTimeOffset October = BillingScenario.October;
    private static readonly DateTimeOffset November = BillingScenario.November;
    private readonly BillingScenario _s = new(DatabaseProvider.Sqlite);

    public Task InitializeAsync() => _s.InitializeAsync();

    public Task DisposeAsync() => _s.DisposeAsync();

    private Task<Result<(BackfillPreview? Preview, IReadOnlyList<BackfillCsvError> Errors)>> PreviewAsync(Actor actor, Guid tenantId, string csv) =>
        _s.Services.RunAsync<BackfillPreviewService, Result<(BackfillPreview?, IReadOnlyList<BackfillCsvError>)>>(
            s => s.PreviewCsvAsync(actor, tenantId, csv, CancellationToken.None));

    [Fact]
    public async Task Preview_TotalsThePeriods_AndShowsTheEffectOnEachBill()
    {
        // Starter since August: August and October invoiced (October with 20,000 calls over), November running at 95,000.
        var tenant = await _s.AddTenantAsync("backfilled", SubscriptionTier.Starter, August);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 120_000, October.AddDays(3));
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 95_000, November.AddDays(3));
        await _s.InvoiceAsync();
        var csv = string.Join('\n', "id,metric,quantity,timestamp",
            "aug-1,api_calls,150000,2026-08-10T00:00:00Z",
            "oct-1,api_calls,3000,2026-10-10T00:00:00Z",
            "oct-2,api_calls,2005,2026-10-11T00:00:00Z",
            "oct-3,gpu_hours,10,2026-10-12T00:00:00Z",
            "nov-1,api_calls,10000,2026-11-20T00:00:00Z");

        var result = await PreviewAsync(await _s.OperatorAsync(), tenant.Id, csv);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var preview = result.Value.Preview!;
        Assert.Equal(5, preview.Events);
        Assert.Equal(
        [
            new BackfillTotal(August, UsageMetric.ApiCalls, 1, 150_000), new BackfillTotal(October, UsageMetric.ApiCalls, 2, 5_005),
            new BackfillTotal(October, UsageMetric.GpuHours, 1, 10), new BackfillTotal(November, UsageMetric.ApiCalls, 1, 10_000),
        ], preview.Totals);
        Assert.Equal(
        [
            // August ended more than 36 days before November: its 50,000 calls over ($50.00) are not billed.
            new BackfillEffect(August, UsageMetric.ApiCalls, BackfillEffectKind.OutsideLateUsageWindow, "BACKFILLED-202608", 5_000),
            // October: 25,005 over is $25.005, rounded once to $25.01, minus the $20.00 billed: $5.01 on the next invoice.
            new BackfillEffect(October, UsageMetric.ApiCalls, BackfillEffectKind.Adjustment, "BACKFILLED-202610", 501),
            // 10 GPU hours stay within Starter's 50.
            new BackfillEffect(October, UsageMetric.GpuHours, BackfillEffectKind.NoChange, "BACKFILLED-202610", 0),
            // November: 105,000 calls, 5,000 over: the running estimate grows by $5.00.
            new BackfillEffect(November, UsageMetric.ApiCalls, BackfillEffectKind.RunningEstimate, null, 500),
        ], preview.Effects);
    }

    [Fact]
    public async Task Preview_ReturnsTheFilesProblems_AndRefusesANonOperator()
    {
        var tenant = await _s.AddTenantAsync("refused", SubscriptionTier.Starter, October);

        var bad = await PreviewAsync(await _s.OperatorAsync(), tenant.Id, "id,metric,quantity,timestamp\ne-1,studies,1,2026-10-10T00:00:00Z");
        var owner = await PreviewAsync(_s.Bed.ActorOf("owner"), tenant.Id, "id,metric,quantity,timestamp\ne-1,api_calls,1,2026-10-10T00:00:00Z");

        Assert.Equal((2, "metric"), (Assert.Single(bad.Value.Errors).Line, Assert.Single(bad.Value.Errors).Column));
        Assert.Null(bad.Value.Preview);
        Assert.Equal(ErrorCodes.Forbidden, owner.Error?.Code);
    }

    [Fact]
    public async Task ABackfillAppliedAndReverted_ThroughTheCorrectionsService_BillsWhatThePreviewSaid_ThenCreditsItBack()
    {
        var tenant = await _s.AddTenantAsync("applied", SubscriptionTier.Starter, October);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 120_000, October.AddDays(3));
        await _s.InvoiceAsync();
        var operatorActor = await _s.OperatorAsync();
        var preview = (await PreviewAsync(operatorActor, tenant.Id, "id,metric,quantity,timestamp\noct-1,api_calls,5005,2026-10-10T00:00:00Z")).Value.Preview!;
        var observer = _s.Services.GetRequiredService<IUsageCorrectionObserver>();
        var corrections = UsageCorrections.Service(_s.Bed, _s.Bed.In(null), observers: [observer]);

        var applied = await corrections.CreateForTenantAsync(operatorActor, tenant.Id, new UsageCorrectionRequest("backfill-1", "Lost batch of October", preview.Items),
            CancellationToken.None);
        Assert.True(applied.IsSuccess, applied.Error?.Message);
        // The invoice billed $20.00; the backfill is an increase: no credit note now, the adjustment waits for the next invoice.
        await using (var db = _s.Bed.Database.CrossTenant())
            Assert.Empty(await db.CreditNotes.Where(n => n.TenantId == tenant.Id).ToListAsync());

        // Reverted before the next invoice: nothing was billed for it, nothing is credited.
        var reverted = await corrections.RevertForTenantAsync(operatorActor, tenant.Id, "backfill-1", "Wrong tenant", CancellationToken.None);
        Assert.True(reverted.IsSuccess, reverted.Error?.Message);
        _s.Bed.Time.SetUtcNow(November.AddMonths(1).AddDays(2));
        await _s.InvoiceAsync();
        var invoices = await _s.InvoicesAsync(tenant.Id);
        Assert.DoesNotContain(invoices[1].Lines, l => l.Kind == InvoiceLineKind.Adjustment);
        await using (var db = _s.Bed.Database.CrossTenant())
            Assert.Empty(await db.CreditNotes.Where(n => n.TenantId == tenant.Id).ToListAsync());

        // Applied again and invoiced: the adjustment is the preview's $5.01.
        var again = await corrections.CreateForTenantAsync(operatorActor, tenant.Id, new UsageCorrectionRequest("backfill-2", "Lost batch of October", preview.Items
            .Select(i => i with { EventId = i.EventId + "-again" }).ToList()), CancellationToken.None);
        Assert.True(again.IsSuccess, again.Error?.Message);
        _s.Bed.Time.SetUtcNow(November.AddMonths(2).AddDays(2));
        await _s.InvoiceAsync();
        var december = (await _s.InvoicesAsync(tenant.Id)).Single(i => i.PeriodStart == November.AddMonths(1));
        var adjustment = Assert.Single(december.Lines, l => l.Kind == InvoiceLineKind.Adjustment);
        Assert.Equal((preview.Effects.Single().AmountCents, October), (adjustment.AmountCents, adjustment.UsagePeriodStart!.Value));
        Assert.Equal(501, adjustment.AmountCents);
    }
}
