using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Interceptors;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Budgets;

/// <summary>
/// A blocking spend budget in the quota check, in both quota cache modes (<c>Local</c>: running totals in the process;
/// <c>Redis</c>: shared totals on a real Redis), on alpha (Starter: 100,000 API calls included, $0.001 each beyond).
/// At 100,990 calls the overage is 99 cents; with a 100-cent budget an amount bringing the invoice's rounded line to
/// exactly 100 cents is allowed and one bringing it to 101 cents is refused with <c>budget_exceeded</c>.
/// </summary>
public abstract class BudgetQuotaCheckTests : IAsyncLifetime
{
    public sealed class Local() : BudgetQuotaCheckTests(redis: false);

    public sealed class Redis() : BudgetQuotaCheckTests(redis: true);

    private const long Budget = 100;
    private readonly bool _redis;
    private readonly TenancyTestBed _bed = new();
    private readonly string _prefix = TestRedis.NewKeyPrefix();
    private QuotaUsageCache _usage = null!;
    private TenantQuotaStateCache _states = null!;
    private QuotaCacheInvalidationInterceptor _interceptor = null!;
    private ConnectionMultiplexer? _connection;
    private RedisQuotaTotals? _totals;

    private BudgetQuotaCheckTests(bool redis) => _redis = redis;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _usage = new QuotaUsageCache(_bed.Time);
        _states = new TenantQuotaStateCache(_bed.Time);
        _interceptor = new QuotaCacheInvalidationInterceptor(_states, _usage);
        if (_redis)
        {
            _connection = await TestRedis.ConnectAsync();
            _totals = new RedisQuotaTotals(_connection, _bed.CommitBarrier, NullLogger<RedisQuotaTotals>.Instance, _prefix);
        }
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.GetDatabase().KeyDeleteAsync(RedisQuotaTotals.Keys(_bed.AlphaId, PeriodMath.MonthStart(_bed.Time.GetUtcNow()))
                .Select(k => k.Prepend(_prefix)).ToArray());
            await _connection.DisposeAsync();
        }
        await _bed.DisposeAsync();
    }

    [Fact]
    public async Task Check_AllowsExactlyTheBudget_AndRefusesOneCentOver()
    {
        await SetBudgetAsync(BudgetAction.Block);
        await IngestAsync(100_990); // 990 over: 99 cents
        var quotas = Quotas();
        await quotas.CheckAsync(UsageMetric.ApiCalls, 0, CancellationToken.None); // loads the caches

        var half = await CheckAsync(quotas, 5);      // 995 over: 99.5 cents, rounded half away from zero to 100: exactly the budget
        var exact = await CheckAsync(quotas, 14);    // 1,004 over: 100.4 cents, 100 on the invoice: exactly the budget
        var over = await CheckAsync(quotas, 15);     // 1,005 over: 100.5 cents, 101 on the invoice: one cent over

        Assert.Equal((true, true, (string?)null), (half.Allowed, half.Overage, half.Reason));
        Assert.Equal((true, true, (string?)null), (exact.Allowed, exact.Overage, exact.Reason));
        Assert.Equal((false, false, QuotaDenial.BudgetExceeded), (over.Allowed, over.Overage, over.Reason));
        Assert.Equal((100_990m, 100_000m, 0m), (over.Used, over.Limit, over.Remaining));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), over.ResetsAt);
    }

    [Fact]
    public async Task Check_NeverRefusesForTheBudget_WhenTheActionIsAlert()
    {
        await SetBudgetAsync(BudgetAction.Alert);
        await IngestAsync(110_000); // $10 of overage: ten times the budget

        var decision = await CheckAsync(Quotas(), 1_000);

        Assert.Equal((true, true, (string?)null), (decision.Allowed, decision.Overage, decision.Reason));
    }

    [Fact]
    public async Task Check_AllowsAnAmountWithinItsQuota_EvenPastTheBudget()
    {
        await SetBudgetAsync(BudgetAction.Block);
        await IngestAsync(110_000);

        var gpu = await Quotas().CheckAsync(UsageMetric.GpuHours, 1, CancellationToken.None);

        Assert.Equal((true, false, (string?)null), (gpu.Value.Allowed, gpu.Value.Overage, gpu.Value.Reason));
    }

    [Fact]
    public async Task Ingest_AcceptsUsagePastTheBudget_AndTheCheckCountsIt()
    {
        await SetBudgetAsync(BudgetAction.Block);
        await IngestAsync(100_990);
        var quotas = Quotas();
        Assert.Equal(QuotaDenial.BudgetExceeded, (await CheckAsync(quotas, 15)).Reason);

        var ingested = await IngestAsync(5_000); // reported usage is never dropped, budget or not

        Assert.True(ingested);
        var after = await CheckAsync(quotas, 1);
        Assert.Equal((105_990m, false, QuotaDenial.BudgetExceeded), (after.Used, after.Allowed, after.Reason));
        await using var db = _bed.Database.ForTenant(_bed.AlphaId);
        Assert.Equal(105_990m, await db.UsageEvents.Where(e => e.Metric == UsageMetric.ApiCalls).SumAsync(e => e.Quantity));
    }

    [Fact]
    public async Task Check_SeesABudgetChange_AtTheNextCheck()
    {
        await SetBudgetAsync(BudgetAction.Block);
        await IngestAsync(100_990);
        var quotas = Quotas();
        Assert.Equal(QuotaDenial.BudgetExceeded, (await CheckAsync(quotas, 15)).Reason); // the state is cached now

        await SetBudgetAsync(BudgetAction.Block, 10_000);
        var raised = await CheckAsync(quotas, 15);
        await RemoveBudgetAsync();
        await IngestAsync(100_000);
        var removed = await CheckAsync(quotas, 15);

        Assert.Equal((true, true), (raised.Allowed, raised.Overage));
        Assert.Equal((true, true), (removed.Allowed, removed.Overage));
    }

    [Fact]
    public async Task Check_CountsStorageOverageSoFar_InTheBudget()
    {
        // 200 GB held since the month began: 100 GB-months over Starter's 100 GB at 2.3 cents, 230 cents so far.
        await using (var db = _bed.Database.CrossTenant())
        {
            db.UsageEvents.Add(new UsageEvent
            {
                TenantId = _bed.AlphaId, ClientEventId = "storage-1", Metric = UsageMetric.StorageGb, Quantity = 200,
                Timestamp = PeriodMath.MonthStart(_bed.Time.GetUtcNow()), ReceivedAt = _bed.Time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        await SetBudgetAsync(BudgetAction.Block, 230);
        await IngestAsync(100_000);
        var quotas = Quotas();

        var exact = await CheckAsync(quotas, 4); // 0.4 cent of calls rounds to 0: 230 in all
        var over = await CheckAsync(quotas, 5);  // 0.5 cent rounds to 1: 231

        Assert.Equal((true, (string?)null), (exact.Allowed, exact.Reason));
        Assert.Equal((false, QuotaDenial.BudgetExceeded), (over.Allowed, over.Reason));
    }

    private QuotaService Quotas()
    {
        var contexts = ContextsFor(_bed.AlphaId);
        return _redis
            ? new QuotaService(contexts, contexts.Tenant, _bed.Time, _bed.CommitBarrier, stateCache: _states, sharedTotals: _totals)
            : new QuotaService(contexts, contexts.Tenant, _bed.Time, _bed.CommitBarrier, _usage, _states);
    }

    private static async Task<QuotaDecision> CheckAsync(QuotaService quotas, decimal amount) =>
        (await quotas.CheckAsync(UsageMetric.ApiCalls, amount, CancellationToken.None)).Value;

    private async Task<bool> IngestAsync(decimal calls)
    {
        var ingestion = _redis
            ? new UsageIngestionService(_bed.UsageEventStore, [], _bed.Time, _totals)
            : new UsageIngestionService(_bed.UsageEventStore, [_usage], _bed.Time);
        var now = _bed.Time.GetUtcNow();
        var result = await ingestion.IngestAsync(_bed.AlphaId, [new(Guid.NewGuid().ToString("N"), UsageMetric.ApiCalls, calls, now.AddMinutes(-1))],
            CancellationToken.None);
        return result.IsSuccess;
    }

    private async Task SetBudgetAsync(BudgetAction action, long cents = Budget)
    {
        await using var db = ContextsFor(null).CreateDbContext();
        var alpha = await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId);
        Assert.True(alpha.SetSpendBudget(cents, action).IsSuccess);
        await db.SaveChangesAsync();
    }

    private async Task RemoveBudgetAsync()
    {
        await using var db = ContextsFor(null).CreateDbContext();
        var alpha = await db.Tenants.SingleAsync(t => t.Id == _bed.AlphaId);
        Assert.True(alpha.RemoveSpendBudget());
        await db.SaveChangesAsync();
    }

    private Factory ContextsFor(Guid? tenantId)
    {
        var tenant = new TenantContext();
        if (tenantId is { } id)
            tenant.SetTenant(id);
        else
            tenant.BeginCrossTenantScope("test arrangement");
        return new Factory(_bed.Database, tenant, _interceptor);
    }

    private sealed class Factory(TestDatabase database, TenantContext tenant, QuotaCacheInvalidationInterceptor interceptor) : IDbContextFactory<PortalDbContext>
    {
        public TenantContext Tenant => tenant;

        public PortalDbContext CreateDbContext() => database.CreateContext(tenant, interceptor);
    }
}
