using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Corrections;

/// <summary>
/// Usage corrections under <c>Metering:QuotaCache=Redis</c> on a real Redis: the shared totals answer the corrected
/// figure at the next check (the entry is dropped and rebuilt from the database), and again after a revert.
/// </summary>
public class UsageCorrectionRedisTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TenancyTestBed _bed = new();
    private readonly string _prefix = TestRedis.NewKeyPrefix();
    private ConnectionMultiplexer _redis = null!;
    private RedisQuotaTotals _totals = null!;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _redis = await TestRedis.ConnectAsync();
        _totals = new RedisQuotaTotals(_redis, _bed.CommitBarrier, NullLogger<RedisQuotaTotals>.Instance, _prefix);
    }

    public async Task DisposeAsync()
    {
        await _redis.GetDatabase().KeyDeleteAsync(RedisQuotaTotals.Keys(_bed.AlphaId, PeriodMath.MonthStart(_bed.Time.GetUtcNow())).Select(k => k.Prepend(_prefix)).ToArray());
        await _redis.DisposeAsync();
        await _bed.DisposeAsync();
    }

    private async Task<(decimal Shared, decimal Database)> UsedAsync(UsageMetric metric)
    {
        var tenant = new TenantContext();
        tenant.SetTenant(_bed.AlphaId);
        var contexts = new TestContextFactory(_bed.Database, tenant);
        var shared = new QuotaService(contexts, tenant, _bed.Time, _bed.CommitBarrier, stateCache: new TenantQuotaStateCache(_bed.Time), sharedTotals: _totals);
        var database = new QuotaService(contexts, tenant, _bed.Time, _bed.CommitBarrier);
        return ((await shared.CheckAsync(metric, 0, None)).Value.Used, (await database.CheckAsync(metric, 0, None)).Value.Used);
    }

    [Fact]
    public async Task SharedTotals_AnswerTheCorrectedFigure_AtTheNextCheck_AndTheRestoredOneAfterARevert()
    {
        var now = _bed.Time.GetUtcNow();
        await new UsageIngestionService(new SqliteUsageEventStore(_bed.UsageWriter), [], _bed.Time, _totals).IngestAsync(_bed.AlphaId,
            [new("e-17", UsageMetric.ApiCalls, 250, now.AddHours(-2)), new("e-18", UsageMetric.GpuHours, 7.25m, now.AddHours(-1))], None);
        Assert.Equal((250m, 250m), await UsedAsync(UsageMetric.ApiCalls)); // builds the entry
        Assert.True(await _redis.GetDatabase().HashExistsAsync(RedisQuotaTotals.Keys(_bed.AlphaId, PeriodMath.MonthStart(now))[0].Prepend(_prefix), "w"));
        var service = UsageCorrections.Service(_bed, _bed.In(_bed.AlphaId), sharedTotals: _totals);

        var created = await service.CreateAsync(_bed.ActorOf("owner"), new("fix-1", "duplicate",
            [new("e-17", UsageCorrectionAction.Void), new("e-18", UsageCorrectionAction.Amend, 2)]), None);

        Assert.True(created.IsSuccess, created.Error?.Message);
        Assert.Equal((0m, 0m), await UsedAsync(UsageMetric.ApiCalls));
        Assert.Equal((2m, 2m), await UsedAsync(UsageMetric.GpuHours));
        Assert.True((await service.RevertAsync(_bed.ActorOf("owner"), "fix-1", null, None)).IsSuccess);
        Assert.Equal((250m, 250m), await UsedAsync(UsageMetric.ApiCalls));
        Assert.Equal((7.25m, 7.25m), await UsedAsync(UsageMetric.GpuHours));
    }
}
