using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services;

public abstract class QuotaServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : QuotaServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : QuotaServiceTests(DatabaseProvider.PostgreSql);

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private static QuotaDecision Decide(Tenant tenant, UsageMetric metric, decimal used, decimal amount) => QuotaService.Decide(tenant, metric, used, amount, Now);

    [Fact]
    public void Free_IsAHardLimit()
    {
        var free = new TenantBuilder().OnPlan(SubscriptionTier.Free).Build();

        var within = Decide(free, UsageMetric.ApiCalls, 9_999, 1);
        var over = Decide(free, UsageMetric.ApiCalls, 9_999, 2);

        Assert.Equal((true, 1m, false), (within.Allowed, within.Remaining!.Value, within.Overage));
        Assert.Equal((false, QuotaDenial.QuotaExceeded), (over.Allowed, over.Reason));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), over.ResetsAt);
    }

    [Fact]
    public void Paid_GoesOver_AsFlaggedOverage()
    {
        var starter = new TenantBuilder().OnPlan(SubscriptionTier.Starter).Build();

        var decision = Decide(starter, UsageMetric.ApiCalls, 100_000, 1);

        Assert.Equal((true, true, 0m), (decision.Allowed, decision.Overage, decision.Remaining!.Value));
    }

    [Theory]
    [InlineData(UsageMetric.Studies)]
    [InlineData(UsageMetric.Users)]
    public void Paid_MetricsWithoutAPrice_AreHardLimits(UsageMetric metric)
    {
        var pro = new TenantBuilder().OnPlan(SubscriptionTier.Professional).Build();
        var limit = TenantPortal.Core.Billing.PlanCatalog.Professional.Limit(metric);

        Assert.Equal(QuotaDenial.QuotaExceeded, Decide(pro, metric, limit, 1).Reason);
    }

    [Fact]
    public void Enterprise_IsUnlimited()
    {
        var decision = Decide(new TenantBuilder().OnPlan(SubscriptionTier.Enterprise).Build(), UsageMetric.GpuHours, 1_000_000, 500);

        Assert.Equal((true, -1m, (decimal?)null, false), (decision.Allowed, decision.Limit, decision.Remaining, decision.Overage));
    }

    [Fact]
    public void AnOperatorOverride_ReplacesThePlansQuota()
    {
        var free = new TenantBuilder().OnPlan(SubscriptionTier.Free).Build();
        free.QuotaOverrides.Add(new QuotaOverride { Metric = UsageMetric.ApiCalls, Limit = 50_000 });

        var decision = Decide(free, UsageMetric.ApiCalls, 20_000, 1_000);

        Assert.Equal((true, 50_000m), (decision.Allowed, decision.Limit));
    }

    [Fact]
    public void AnExpiredTrial_Denies_WithTrialExpired()
    {
        var trial = new TenantBuilder().OnPlan(SubscriptionTier.Starter).WithStatus(TenantStatus.Trial).WithTrialEndingAt(Now.AddMinutes(-1)).Build();
        var suspendedAfterTrial = new TenantBuilder().OnPlan(SubscriptionTier.Starter).SuspendedFor(SuspensionReason.TrialExpired)
            .WithTrialEndingAt(Now.AddDays(-2)).At(Now.AddDays(-2)).Build();

        Assert.Equal(QuotaDenial.TrialExpired, Decide(trial, UsageMetric.ApiCalls, 0, 1).Reason);
        Assert.Equal(QuotaDenial.TrialExpired, Decide(suspendedAfterTrial, UsageMetric.ApiCalls, 0, 1).Reason);
    }

    [Fact]
    public void ARunningTrial_Allows()
    {
        var trial = new TenantBuilder().OnPlan(SubscriptionTier.Starter).WithStatus(TenantStatus.Trial).WithTrialEndingAt(Now.AddDays(3)).Build();

        Assert.True(Decide(trial, UsageMetric.ApiCalls, 0, 1).Allowed);
    }

    [Theory]
    [InlineData(TenantStatus.Suspended, QuotaDenial.Suspended)]
    [InlineData(TenantStatus.Cancelled, QuotaDenial.Cancelled)]
    public void SuspendedAndCancelledTenants_AreDenied(TenantStatus status, string reason)
    {
        var tenant = new TenantBuilder().OnPlan(SubscriptionTier.Professional).WithStatus(status).CreatedAt(Now.AddMonths(-3)).Build();

        Assert.Equal((false, reason), (Decide(tenant, UsageMetric.ApiCalls, 0, 1).Allowed, Decide(tenant, UsageMetric.ApiCalls, 0, 1).Reason));
    }

    [Fact]
    public async Task Check_CountsEventsTheMomentTheirIngestReturns()
    {
        var scope = _bed.In(_bed.AlphaId);
        var ingestion = new UsageIngestionService(_bed.UsageEventStore, [], _bed.Time);
        var quotas = new QuotaService(scope.Contexts, scope.Tenant, _bed.Time, _bed.CommitBarrier);
        var before = await quotas.CheckAsync(UsageMetric.GpuHours, 1, CancellationToken.None);

        await ingestion.IngestAsync(_bed.AlphaId, [new("g1", UsageMetric.GpuHours, 30, _bed.Time.GetUtcNow().AddMinutes(-1)), new("g2", UsageMetric.GpuHours, 12.5m, _bed.Time.GetUtcNow())], CancellationToken.None);
        var after = await quotas.CheckAsync(UsageMetric.GpuHours, 1, CancellationToken.None);

        Assert.Equal(0m, before.Value.Used);
        Assert.Equal(42.5m, after.Value.Used);
        Assert.Equal(7.5m, after.Value.Remaining);
    }

    [Fact]
    public async Task Check_RefusesANegativeAmount()
    {
        var result = await new QuotaService(_bed.In(_bed.AlphaId).Contexts, _bed.In(_bed.AlphaId).Tenant, _bed.Time, _bed.CommitBarrier).CheckAsync(UsageMetric.ApiCalls, -1, CancellationToken.None);

        Assert.Equal("amount", result.Error?.Field);
    }

    [Fact]
    public async Task Check_CountsRolledUpAndFreshEvents_OnceEach()
    {
        var scope = _bed.In(_bed.AlphaId);
        var ingestion = new UsageIngestionService(_bed.UsageEventStore, [], _bed.Time);
        var quotas = new QuotaService(scope.Contexts, scope.Tenant, _bed.Time, _bed.CommitBarrier);
        var rollupScope = _bed.In(null);
        var rollup = new MeteringRollupService(rollupScope.Contexts, _bed.RollupStore, _bed.CommitBarrier, rollupScope.Tenant, _bed.Time);
        await ingestion.IngestAsync(_bed.AlphaId, [new("r1", UsageMetric.ApiCalls, 1_000, _bed.Time.GetUtcNow().AddHours(-5))], CancellationToken.None);

        var beforeRollup = (await quotas.CheckAsync(UsageMetric.ApiCalls, 0, CancellationToken.None)).Value.Used;
        await rollup.RunAsync(CancellationToken.None);
        var afterRollup = (await quotas.CheckAsync(UsageMetric.ApiCalls, 0, CancellationToken.None)).Value.Used;
        await ingestion.IngestAsync(_bed.AlphaId, [new("r2", UsageMetric.ApiCalls, 234, _bed.Time.GetUtcNow())], CancellationToken.None);
        var withFresh = (await quotas.CheckAsync(UsageMetric.ApiCalls, 0, CancellationToken.None)).Value.Used;

        Assert.Equal((1_000m, 1_000m, 1_234m), (beforeRollup, afterRollup, withFresh));
    }
}
