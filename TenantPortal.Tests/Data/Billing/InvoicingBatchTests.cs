using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Billing;

/// <summary>
/// The monthly-invoicing job reads its tenants in batches (<see cref="BillingOptions.InvoicingBatchSize"/>), set-based:
/// every tenant is billed as it would be alone, whichever batch it falls in, once, and a run with nothing due reads
/// the same few statements however many tenants there are.
/// </summary>
public abstract class InvoicingBatchTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : InvoicingBatchTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : InvoicingBatchTests(DatabaseProvider.PostgreSql);

    private static readonly DateTimeOffset October = BillingScenario.October;
    private static readonly DateTimeOffset November = BillingScenario.November;
    private readonly BillingScenario _s = new(provider) { Options = new BillingOptions { InvoicingBatchSize = 2 } };

    // The bed's own tenants, invoiced up to now before each test adds its own.
    private int _bedTenants;

    public async Task InitializeAsync()
    {
        await _s.InitializeAsync();
        _bedTenants = (await _s.InvoiceAsync()).Tenants;
    }

    public Task DisposeAsync() => _s.DisposeAsync();

    [Fact]
    public async Task RunAsync_BillsEveryTenantAsAlone_WhenTheyFallInDifferentBatches()
    {
        // Batches of two, in slug order among the bed's own tenants: these five fall in three or four of them.
        var upgrader = await _s.AddTenantAsync("a-upgrader", SubscriptionTier.Starter, October.AddMonths(-2));
        var overridden = await _s.AddTenantAsync("b-override", SubscriptionTier.Starter, October);
        var late = await _s.AddTenantAsync("c-late", SubscriptionTier.Starter, October);
        var free = await _s.AddTenantAsync("d-free", SubscriptionTier.Free, October);
        var plain = await _s.AddTenantAsync("e-plain", SubscriptionTier.Starter, October);
        await using (var db = _s.Bed.Database.CrossTenant())
        {
            db.QuotaOverrides.Add(new QuotaOverride { TenantId = overridden.Id, Metric = UsageMetric.ApiCalls, Limit = 200_000, CreatedAt = October });
            await db.SaveChangesAsync();
        }
        await _s.UseAsync(overridden.Id, UsageMetric.ApiCalls, 250_000, October.AddDays(3));
        await _s.UseAsync(late.Id, UsageMetric.ApiCalls, 120_000, October.AddDays(2));
        await _s.UseAsync(plain.Id, UsageMetric.ApiCalls, 120_000, October.AddDays(5));
        await _s.UseAsync(free.Id, UsageMetric.ApiCalls, 500_000, October.AddDays(5));

        var october = await _s.InvoiceAsync();

        // The upgrader, a customer since August, is caught up: August, September and October.
        Assert.Equal((_bedTenants + 5, 6), (october.Tenants, october.Issued));
        Assert.Equal([4_900L, 4_900L, 4_900L], (await _s.InvoicesAsync(upgrader.Id)).Select(i => i.TotalCents));
        // 250,000 calls against the override's 200,000, not Starter's 100,000: 50,000 over at $1.00 a thousand.
        Assert.Equal(4_900 + 5_000, (await _s.InvoicesAsync(overridden.Id)).Single().TotalCents);
        Assert.Equal(4_900 + 2_000, (await _s.InvoicesAsync(late.Id)).Single().TotalCents);
        Assert.Equal(4_900 + 2_000, (await _s.InvoicesAsync(plain.Id)).Single().TotalCents);
        Assert.Empty(await _s.InvoicesAsync(free.Id));
        Assert.Equal(3 * 4_900 + 9_900 + 6_900 + 6_900, october.TotalCents);

        // November: the upgrader's plan changes mid-month, the late tenant's October usage grows after its invoice.
        await _s.UseAsync(upgrader.Id, UsageMetric.ApiCalls, 300_000, November.AddDays(4));
        var changed = await _s.BillingAsync(upgrader.Id, b => b.ChangePlanAsync(_s.Bed.ActorOf("owner"), SubscriptionTier.Professional, BillingCycle.Monthly,
            new Uri("https://portal.test/t/a-upgrader/billing"), CancellationToken.None));
        Assert.True(changed.IsSuccess, changed.Error?.Message);
        await _s.UseAsync(late.Id, UsageMetric.ApiCalls, 5_000, October.AddDays(30), November.AddDays(24));
        _s.Bed.Time.SetUtcNow(November.AddMonths(1).AddDays(2));

        var december = await _s.InvoiceAsync();

        Assert.Equal(_bedTenants + 5, december.Tenants);
        var prorated = (await _s.InvoicesAsync(upgrader.Id)).Single(i => i.PeriodStart == November);
        Assert.Equal([3_512L, 5_638L], prorated.Lines.OrderBy(l => l.Position).Where(l => l.Kind == InvoiceLineKind.Base).Select(l => l.AmountCents));
        Assert.Equal((SubscriptionTier.Professional, 9_150L), (prorated.Tier, prorated.TotalCents));
        var adjusted = (await _s.InvoicesAsync(late.Id)).Single(i => i.PeriodStart == November);
        var adjustment = Assert.Single(adjusted.Lines, l => l.Kind == InvoiceLineKind.Adjustment);
        Assert.Equal((5_000m, 500L, October), (adjustment.Quantity, adjustment.AmountCents, adjustment.UsagePeriodStart!.Value));
        Assert.Equal(4_900, (await _s.InvoicesAsync(plain.Id)).Single(i => i.PeriodStart == November).TotalCents);
        Assert.Equal(4_900, (await _s.InvoicesAsync(overridden.Id)).Single(i => i.PeriodStart == November).TotalCents);
        var counts = new List<int>();
        foreach (var tenant in new[] { upgrader, overridden, late, free, plain })
            counts.Add((await _s.InvoicesAsync(tenant.Id)).Count);
        Assert.Equal(new[] { 4, 2, 2, 0, 2 }, counts);
    }

    [Fact]
    public async Task RunAsync_IssuesOneInvoicePerTenantAndPeriod_WhenRunsOverlapAcrossBatches()
    {
        var tenants = new List<Tenant>();
        foreach (var slug in new[] { "c1", "c2", "c3", "c4", "c5" })
            tenants.Add(await _s.AddTenantAsync(slug, SubscriptionTier.Starter, October));
        await _s.UseAsync(tenants[2].Id, UsageMetric.ApiCalls, 150_000, October.AddDays(9));

        var runs = await Task.WhenAll(_s.InvoiceAsync(), _s.InvoiceAsync(), _s.InvoiceAsync());

        // Each invoice is counted by the run that stored it, and by no other.
        Assert.Equal(5, runs.Sum(r => r.Issued));
        Assert.Equal(5 * 4_900 + 5_000, runs.Sum(r => r.TotalCents));
        foreach (var tenant in tenants)
            Assert.Single(await _s.InvoicesAsync(tenant.Id));
    }

    [Fact]
    public async Task RunAsync_WithNothingDue_ReadsTheSameStatements_WhateverTheNumberOfTenants()
    {
        var counter = new StatementCounter();
        await using var services = JobServices.Build(_s.Bed, billing: new BillingOptions { InvoicingBatchSize = 1_000 }, interceptor: counter);
        for (var i = 0; i < 3; i++)
            await _s.AddTenantAsync($"few{i}", SubscriptionTier.Starter, October);
        await services.RunAsync<InvoicingService, InvoicingSummary>(s => s.RunAsync(CancellationToken.None));
        counter.Count = 0;
        var few = await services.RunAsync<InvoicingService, InvoicingSummary>(s => s.RunAsync(CancellationToken.None));
        var statementsForFew = counter.Count;

        for (var i = 0; i < 9; i++)
            await _s.AddTenantAsync($"many{i}", SubscriptionTier.Professional, October);
        await services.RunAsync<InvoicingService, InvoicingSummary>(s => s.RunAsync(CancellationToken.None));
        counter.Count = 0;
        var many = await services.RunAsync<InvoicingService, InvoicingSummary>(s => s.RunAsync(CancellationToken.None));

        Assert.Equal((_bedTenants + 3, 0), (few.Tenants, few.Issued));
        Assert.Equal((_bedTenants + 12, 0), (many.Tenants, many.Issued));
        Assert.True(statementsForFew > 0);
        Assert.Equal(statementsForFew, counter.Count);
    }

    // Counts the statements sent (queries and commands alike).
    private sealed class StatementCounter : DbCommandInterceptor
    {
        private int _count;

        public int Count { get => Volatile.Read(ref _count); set => Volatile.Write(ref _count, value); }

        public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
        {
            Interlocked.Increment(ref _count);
            return result;
        }
    }
}
