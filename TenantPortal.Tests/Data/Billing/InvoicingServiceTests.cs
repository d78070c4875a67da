using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>The monthly-invoicing job over a real database: the bill is right to the cent and issued once.</summary>
public abstract class InvoicingServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : InvoicingServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : InvoicingServiceTests(DatabaseProvider.PostgreSql);

    private static readonly DateTimeOffset October = BillingScenario.October;
    private readonly BillingScenario _s = new(provider);

    public Task InitializeAsync() => _s.InitializeAsync();

    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public async Task TheWorkedExample_ComesOutAt27630_ThroughTheJob()
    {
        var acme = await _s.AddTenantAsync("acme", SubscriptionTier.Professional, October);
        await _s.UseAsync(acme.Id, UsageMetric.ApiCalls, 600_000, October.AddDays(3));
        await _s.UseAsync(acme.Id, UsageMetric.ApiCalls, 450_000, October.AddDays(20));
        await _s.UseAsync(acme.Id, UsageMetric.StorageGb, 1_100, October);
        await _s.UseAsync(acme.Id, UsageMetric.GpuHours, 210, October.AddDays(9));

        var summary = await _s.InvoiceAsync();

        var invoice = Assert.Single(await _s.InvoicesAsync(acme.Id));
        Assert.Equal(27_630, invoice.TotalCents);
        Assert.Equal(("ACME-202610", InvoiceStatus.Open), (invoice.Number, invoice.Status));
        Assert.Equal([19_900L, 5_000L, 230L, 2_500L], invoice.Lines.OrderBy(l => l.Kind).ThenBy(l => l.Metric).Select(l => l.AmountCents));
        var api = invoice.Lines.Single(l => l.Metric == UsageMetric.ApiCalls);
        Assert.Equal((50_000m, 0.1m, October), (api.Quantity, api.UnitPriceCents, api.UsagePeriodStart!.Value));
        Assert.Equal(invoice.IssuedAt.AddDays(14), invoice.DueAt);
        Assert.True(summary.Issued >= 1);
    }

    [Theory]
    [InlineData(SubscriptionTier.Starter, 50_000, 4_900)]
    [InlineData(SubscriptionTier.Starter, 150_000, 4_900 + 5_000)]
    [InlineData(SubscriptionTier.Professional, 999_999, 19_900)]
    [InlineData(SubscriptionTier.Professional, 1_000_001, 19_900)] // 0.1 cent rounds to 0
    [InlineData(SubscriptionTier.Professional, 1_000_005, 19_901)] // 0.5 cent rounds away from zero
    [InlineData(SubscriptionTier.Enterprise, 50_000_000, 99_900)]  // unlimited: never overage
    public async Task EachTier_BillsItsBase_AndOverageBeyondItsQuota(SubscriptionTier tier, int apiCalls, long expectedCents)
    {
        var tenant = await _s.AddTenantAsync("t-" + tier.ToString().ToLowerInvariant(), tier, October);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, apiCalls, October.AddDays(5));

        await _s.InvoiceAsync();

        var invoice = Assert.Single(await _s.InvoicesAsync(tenant.Id));
        Assert.Equal(expectedCents, invoice.TotalCents);
        Assert.Equal(invoice.Lines.Sum(l => l.AmountCents), invoice.TotalCents);
        // Nothing owed: the ledger settles it at once.
        Assert.Equal(expectedCents == 0 ? InvoiceStatus.Paid : InvoiceStatus.Open, invoice.Status);
    }

    [Fact]
    public async Task RunTwice_AndConcurrently_IssuesOneInvoicePerTenantAndPeriod()
    {
        var a = await _s.AddTenantAsync("twice-a", SubscriptionTier.Starter, October);
        var b = await _s.AddTenantAsync("twice-b", SubscriptionTier.Professional, October);

        await Task.WhenAll(_s.InvoiceAsync(), _s.InvoiceAsync(), _s.InvoiceAsync());
        var again = await _s.InvoiceAsync();

        Assert.Equal(0, again.Issued);
        Assert.Single(await _s.InvoicesAsync(a.Id));
        Assert.Single(await _s.InvoicesAsync(b.Id));
    }

    [Fact]
    public async Task MissedPeriods_AreCaughtUp_AndTheGraceWindowIsRespected()
    {
        var tenant = await _s.AddTenantAsync("catchup", SubscriptionTier.Starter, October.AddMonths(-3).AddDays(14));

        await _s.InvoiceAsync();

        var invoices = await _s.InvoicesAsync(tenant.Id);
        // July (from the 15th, prorated), August, September, October; November is still running.
        Assert.Equal(["CATCHUP-202607", "CATCHUP-202608", "CATCHUP-202609", "CATCHUP-202610"], invoices.Select(i => i.Number));
        Assert.Equal(Math.Round(4_900m * 17 / 31, MidpointRounding.AwayFromZero), invoices[0].TotalCents);

        // 1 December 12:00: November closed 12 hours ago, inside the 24-hour grace window; 2 December 01:00, past it.
        _s.Bed.Time.SetUtcNow(BillingScenario.November.AddMonths(1).AddHours(12));
        Assert.Equal(0, (await _s.InvoiceAsync()).Issued);
        _s.Bed.Time.SetUtcNow(BillingScenario.November.AddMonths(1).AddHours(25));
        await _s.InvoiceAsync();
        Assert.Equal("CATCHUP-202611", (await _s.InvoicesAsync(tenant.Id)).Last().Number);
    }

    [Fact]
    public async Task UsageArrivingAfterItsPeriodWasInvoiced_IsAnAdjustmentLineOnTheNextInvoice()
    {
        var tenant = await _s.AddTenantAsync("late", SubscriptionTier.Starter, October);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 120_000, October.AddDays(2));
        await _s.InvoiceAsync();
        Assert.Equal(4_900 + 2_000, (await _s.InvoicesAsync(tenant.Id)).Single().TotalCents);

        // 5,000 more October calls reported on 25 November (inside the 35-day window).
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 5_000, October.AddDays(30), BillingScenario.November.AddDays(24));
        _s.Bed.Time.SetUtcNow(BillingScenario.November.AddMonths(1).AddDays(2));
        await _s.InvoiceAsync();

        var november = (await _s.InvoicesAsync(tenant.Id)).Single(i => i.PeriodStart == BillingScenario.November);
        var adjustment = Assert.Single(november.Lines, l => l.Kind == InvoiceLineKind.Adjustment);
        Assert.Equal((UsageMetric.ApiCalls, 5_000m, 500L, October), (adjustment.Metric!.Value, adjustment.Quantity, adjustment.AmountCents, adjustment.UsagePeriodStart!.Value));
        Assert.Contains("October 2026", adjustment.Description);
        Assert.Equal(4_900 + 500, november.TotalCents);

        // Billed once: the next run adds nothing more for October.
        _s.Bed.Time.SetUtcNow(BillingScenario.November.AddMonths(2).AddDays(2));
        await _s.InvoiceAsync();
        Assert.DoesNotContain((await _s.InvoicesAsync(tenant.Id)).Last().Lines, l => l.Kind == InvoiceLineKind.Adjustment);
    }

    [Fact]
    public async Task AMidPeriodUpgrade_IsProrated_AndOverageUsesThePlanAtThePeriodsEnd()
    {
        var november = BillingScenario.November;
        var tenant = await _s.AddTenantAsync("upgrader", SubscriptionTier.Starter, October.AddMonths(-2));
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 300_000, november.AddDays(4));
        // 22 November 12:00: 21.5 of November's 30 days on Starter, 8.5 on Professional.
        var changed = await _s.BillingAsync(tenant.Id, b => b.ChangePlanAsync(_s.Bed.ActorOf("owner"), SubscriptionTier.Professional, BillingCycle.Monthly,
            new Uri("https://portal.test/t/upgrader/billing"), CancellationToken.None));
        Assert.True(changed.IsSuccess, changed.Error?.Message);

        _s.Bed.Time.SetUtcNow(november.AddMonths(1).AddDays(2));
        await _s.InvoiceAsync();

        var invoice = (await _s.InvoicesAsync(tenant.Id)).Single(i => i.PeriodStart == november);
        var bases = invoice.Lines.OrderBy(l => l.Position).Where(l => l.Kind == InvoiceLineKind.Base).Select(l => l.AmountCents).ToList();
        Assert.Equal([3_512L, 5_638L], bases); // 49 x 21.5/30 = 35.1166.., 199 x 8.5/30 = 56.3833..
        // 300,000 calls would be 200,000 over Starter's quota, but within Professional's, the plan at the period's end.
        Assert.DoesNotContain(invoice.Lines, l => l.Kind == InvoiceLineKind.Overage);
        Assert.Equal((SubscriptionTier.Professional, 9_150L), (invoice.Tier, invoice.TotalCents));
    }

    [Fact]
    public async Task AnAnnualPlan_IsBilledTenTimesTheMonthlyPrice_OnceForItsYear()
    {
        var tenant = await _s.AddTenantAsync("yearly", SubscriptionTier.Starter, October.AddDays(4), cycle: BillingCycle.Annual);
        _s.Bed.Time.SetUtcNow(October.AddMonths(3).AddDays(2));

        await _s.InvoiceAsync();

        var invoices = await _s.InvoicesAsync(tenant.Id);
        Assert.Equal([49_000L, 0L, 0L], invoices.Select(i => i.TotalCents));
        Assert.Contains("annual", invoices[0].Lines.Single().Description);
    }

    [Fact]
    public async Task ATrial_IsNotInvoiced_AsNothingIsCharged()
    {
        var tenant = await _s.AddTenantAsync("trialling", SubscriptionTier.Starter, October, TenantStatus.Trial);
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 500_000, October.AddDays(3));

        await _s.InvoiceAsync();

        Assert.Empty(await _s.InvoicesAsync(tenant.Id));
    }

    [Fact]
    public async Task AFreeTenant_GetsNoInvoice_ForAnyPeriod_EvenOverItsHardLimit()
    {
        var tenant = await _s.AddTenantAsync("freeloader", SubscriptionTier.Free, October.AddMonths(-3));
        await _s.UseAsync(tenant.Id, UsageMetric.ApiCalls, 50_000, October.AddDays(5));   // hard limit: nothing beyond quota is billed
        await _s.UseAsync(tenant.Id, UsageMetric.GpuHours, 40, October.AddDays(6));

        await _s.InvoiceAsync();
        var again = await _s.InvoiceAsync();

        Assert.Empty(await _s.InvoicesAsync(tenant.Id));
        Assert.Equal(0, again.Issued);
    }

    [Fact]
    public async Task AFreeTenantThatUpgrades_IsInvoiced_FromThePaidPartOfThePeriodOn()
    {
        var november = BillingScenario.November;
        var tenant = await _s.AddTenantAsync("grower", SubscriptionTier.Free, October.AddMonths(-1));
        // 22 November 12:00: 8.5 of November's 30 days on Starter.
        var changed = await _s.BillingAsync(tenant.Id, b => b.ChangePlanAsync(_s.Bed.ActorOf("owner"), SubscriptionTier.Starter, BillingCycle.Monthly,
            new Uri("https://portal.test/t/grower/billing"), CancellationToken.None));
        Assert.True(changed.IsSuccess, changed.Error?.Message);

        _s.Bed.Time.SetUtcNow(november.AddMonths(1).AddDays(2));
        await _s.InvoiceAsync();

        // September and October were Free: nothing to bill, nothing listed. November has its paid share.
        var invoice = Assert.Single(await _s.InvoicesAsync(tenant.Id));
        Assert.Equal(("GROWER-202611", 1_388L), (invoice.Number, invoice.TotalCents)); // 49 x 8.5/30 = 13.8833..
        Assert.Equal(SubscriptionTier.Starter, invoice.Tier);
    }

    [Fact]
    public async Task APaidTenant_IsInvoicedEveryPeriod_EvenWhenAMonthOfItsAnnualTermOwesNothing()
    {
        var tenant = await _s.AddTenantAsync("annual-quiet", SubscriptionTier.Professional, October.AddDays(4), cycle: BillingCycle.Annual);
        _s.Bed.Time.SetUtcNow(October.AddMonths(2).AddDays(2));

        await _s.InvoiceAsync();

        Assert.Equal(["ANNUAL-QUIET-202610", "ANNUAL-QUIET-202611"], (await _s.InvoicesAsync(tenant.Id)).Select(i => i.Number));
    }

    [Fact]
    public void TheLastClosablePeriod_FollowsTheGraceHours()
    {
        Assert.Equal(October, InvoicingService.LastClosablePeriod(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), 24));
        Assert.Equal(October.AddMonths(-1), InvoicingService.LastClosablePeriod(new DateTimeOffset(2026, 11, 1, 23, 59, 0, TimeSpan.Zero), 24));
        Assert.Equal(October, InvoicingService.LastClosablePeriod(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 0));
    }
}
