using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Interceptors;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Metering.Corrections;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Corrections;

/// <summary>
/// Usage corrections through the service, on SQLite and PostgreSQL: a void and an amend change the quota totals (cached
/// and uncached), the rollups and the current usage exactly, a revert restores every figure, one active correction per
/// event even under concurrency, idempotency by id, validation that changes nothing, operators on any tenant.
/// </summary>
public abstract class UsageCorrectionServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : UsageCorrectionServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : UsageCorrectionServiceTests(DatabaseProvider.PostgreSql);

    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);
    private QuotaUsageCache _cache = null!;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _cache = new QuotaUsageCache(_bed.Time);
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    private Actor Owner => _bed.ActorOf("owner");

    private UsageCorrectionService Service(IEnumerable<IUsageCorrectionObserver>? observers = null) =>
        UsageCorrections.Service(_bed, _bed.In(_bed.AlphaId), [_cache], observers);

    private async Task IngestAsync(Guid tenantId, params UsageEventInput[] events) =>
        Assert.True((await new UsageIngestionService(_bed.UsageEventStore, [_cache], _bed.Time).IngestAsync(tenantId, events, None)).IsSuccess);

    private QuotaService Quotas(bool cached)
    {
        var tenant = new TenantContext();
        tenant.SetTenant(_bed.AlphaId);
        var contexts = new TestContextFactory(_bed.Database, tenant);
        return cached
            ? new QuotaService(contexts, tenant, _bed.Time, _bed.CommitBarrier, _cache, new TenantQuotaStateCache(_bed.Time))
            : new QuotaService(contexts, tenant, _bed.Time, _bed.CommitBarrier);
    }

    // The month's use as the cached check, the uncached check and the current usage report each see it; all must agree.
    private async Task<decimal> UsedAsync(UsageMetric metric)
    {
        var cached = (await Quotas(cached: true).CheckAsync(metric, 0, None)).Value.Used;
        var uncached = (await Quotas(cached: false).CheckAsync(metric, 0, None)).Value.Used;
        var report = await new UsageReportService(_bed.In(_bed.AlphaId).Contexts, _bed.Time).CurrentAsync(None);
        Assert.Equal(uncached, cached);
        Assert.Equal(uncached, report.Metrics.Single(m => m.Metric == metric).Used);
        return uncached;
    }

    private async Task RollUpAsync()
    {
        var scope = _bed.In(null);
        await new MeteringRollupService(scope.Contexts, _bed.RollupStore, _bed.CommitBarrier, scope.Tenant, _bed.Time).RunAsync(None);
    }

    private async Task<(decimal Api, decimal Gpu, decimal ApiDay)> RolledUpAsync()
    {
        await using var db = _bed.Database.ForTenant(_bed.AlphaId);
        var month = PeriodMath.MonthStart(_bed.Time.GetUtcNow());
        var rollups = await db.UsageRollups.AsNoTracking().ToListAsync();
        decimal Sum(UsageMetric metric, RollupGranularity granularity, DateTimeOffset start) =>
            rollups.Where(r => r.Metric == metric && r.Granularity == granularity && r.PeriodStart == start).Sum(r => r.Sum);
        var day = new DateTimeOffset(_bed.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        return (Sum(UsageMetric.ApiCalls, RollupGranularity.Month, month), Sum(UsageMetric.GpuHours, RollupGranularity.Month, month),
            Sum(UsageMetric.ApiCalls, RollupGranularity.Day, day));
    }

    private async Task ArrangeAsync()
    {
        var now = _bed.Time.GetUtcNow();
        await IngestAsync(_bed.AlphaId,
            new("e-16", UsageMetric.ApiCalls, 1_000, now.AddHours(-3)),
            new("e-17", UsageMetric.ApiCalls, 250, now.AddHours(-2)),
            new("e-18", UsageMetric.GpuHours, 7.25m, now.AddHours(-1)),
            new("s-1", UsageMetric.StorageGb, 40, now.AddHours(-1)));
        await RollUpAsync();
        Assert.Equal(1_250, await UsedAsync(UsageMetric.ApiCalls)); // loads the cache
        Assert.Equal(7.25m, await UsedAsync(UsageMetric.GpuHours));
    }

    private static UsageCorrectionRequest VoidAndAmend(string id = "fix-1") =>
        new(id, "Duplicate job reports", [new("e-17", UsageCorrectionAction.Void), new("e-18", UsageCorrectionAction.Amend, 3.5m)]);

    [Fact]
    public async Task Create_VoidAndAmend_ChangeQuotaTotalsRollupsAndCurrentUsageExactly_AndRevertRestoresEveryFigure()
    {
        await ArrangeAsync();

        var created = await Service().CreateAsync(Owner, VoidAndAmend(), None);

        Assert.True(created.IsSuccess, created.Error?.Message);
        Assert.True(created.Value.Created);
        var lines = created.Value.Correction.Events;
        Assert.Equal((250m, 0m, -250m), (lines[0].QuantityBefore, lines[0].QuantityAfter, lines[0].Delta));
        Assert.Equal((7.25m, 3.5m, -3.75m), (lines[1].QuantityBefore, lines[1].QuantityAfter, lines[1].Delta));
        Assert.Equal(1_000, await UsedAsync(UsageMetric.ApiCalls));
        Assert.Equal(3.5m, await UsedAsync(UsageMetric.GpuHours));
        Assert.Equal(40, await UsedAsync(UsageMetric.StorageGb));
        await RollUpAsync();
        Assert.Equal((1_000m, 3.5m, 1_000m), await RolledUpAsync());
        Assert.Equal(1_000, await UsedAsync(UsageMetric.ApiCalls));

        var reverted = await Service().RevertAsync(Owner, "fix-1", "wrong job", None);

        Assert.True(reverted.IsSuccess, reverted.Error?.Message);
        Assert.NotNull(reverted.Value.RevertedAt);
        Assert.Equal(1_250, await UsedAsync(UsageMetric.ApiCalls));
        Assert.Equal(7.25m, await UsedAsync(UsageMetric.GpuHours));
        await RollUpAsync();
        Assert.Equal((1_250m, 7.25m, 1_250m), await RolledUpAsync());
        // The originals are untouched: the effect is in compensating events of their own.
        await using var db = _bed.Database.ForTenant(_bed.AlphaId);
        Assert.Equal(250m, (await db.UsageEvents.SingleAsync(e => e.ClientEventId == "e-17")).Quantity);
        Assert.Equal(4, await db.UsageEvents.CountAsync(e => e.ClientEventId.StartsWith("~")));
        Assert.Equal([AuditActions.UsageCorrectionCreated, AuditActions.UsageCorrectionReverted],
            await db.AuditEntries.Where(a => a.Target == "correction:fix-1").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Create_SameIdAgain_ReturnsTheFirstResult_AndAnotherBodyIsAConflictNamingTheId()
    {
        await ArrangeAsync();
        var first = await Service().CreateAsync(Owner, VoidAndAmend(), None);

        var again = await Service().CreateAsync(Owner, VoidAndAmend(), None);
        var other = await Service().CreateAsync(Owner, UsageCorrections.Void("fix-1", "e-16"), None);

        Assert.False(again.Value.Created);
        Assert.Equal(first.Value.Correction with { Events = [] }, again.Value.Correction with { Events = [] });
        Assert.Equal(first.Value.Correction.Events, again.Value.Correction.Events);
        Assert.Equal((ErrorCodes.Conflict, "id"), (other.Error?.Code, other.Error?.Field));
        Assert.Equal(1_000, await UsedAsync(UsageMetric.ApiCalls));
    }

    [Fact]
    public async Task Create_SameIdConcurrently_IsAppliedOnce()
    {
        await ArrangeAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Service().CreateAsync(Owner, VoidAndAmend(), None)));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Single(results, r => r.Value.Created);
        Assert.Equal(1_000, await UsedAsync(UsageMetric.ApiCalls));
        Assert.Equal(3.5m, await UsedAsync(UsageMetric.GpuHours));
    }

    [Fact]
    public async Task Create_TwoCorrectionsOfOneEventConcurrently_OneWins_TheOtherIsAConflict_AndTotalsChangeOnce()
    {
        await ArrangeAsync();

        var results = await Task.WhenAll(
            Service().CreateAsync(Owner, UsageCorrections.Void("a", "e-17"), None),
            Service().CreateAsync(Owner, new UsageCorrectionRequest("b", "other", [new("e-17", UsageCorrectionAction.Amend, 100)]), None));

        Assert.Single(results, r => r.IsSuccess);
        var loser = Assert.Single(results, r => !r.IsSuccess);
        Assert.Equal((ErrorCodes.Conflict, "events[0].eventId"), (loser.Error!.Code, loser.Error.Field));
        var expected = results[0].IsSuccess ? 1_000m : 1_100m;
        Assert.Equal(expected, await UsedAsync(UsageMetric.ApiCalls));
        await RollUpAsync();
        Assert.Equal(expected, (await RolledUpAsync()).Api);
        await using var db = _bed.Database.ForTenant(_bed.AlphaId);
        Assert.Single(await db.UsageCorrections.ToListAsync());
    }

    [Fact]
    public async Task Create_AnEventHeldByAnotherCorrection_IsAConflictNamingIt_UntilThatOneIsReverted()
    {
        await ArrangeAsync();
        await Service().CreateAsync(Owner, VoidAndAmend(), None);

        var refused = await Service().CreateAsync(Owner, UsageCorrections.Void("fix-2", "e-18"), None);
        await Service().RevertAsync(Owner, "fix-1", null, None);
        var allowed = await Service().CreateAsync(Owner, UsageCorrections.Void("fix-2", "e-18"), None);

        Assert.Equal((ErrorCodes.Conflict, "events[0].eventId"), (refused.Error?.Code, refused.Error?.Field));
        Assert.Contains("'fix-1'", refused.Error!.Message);
        Assert.True(allowed.IsSuccess, allowed.Error?.Message);
        Assert.Equal(7.25m, allowed.Value.Correction.Events[0].QuantityBefore);
        Assert.Equal(0, await UsedAsync(UsageMetric.GpuHours));
        Assert.Equal(1_250, await UsedAsync(UsageMetric.ApiCalls));
    }

    [Fact]
    public async Task Create_AnotherTenantsEvent_IsAnsweredAsAnUnknownOne_AndNothingIsApplied()
    {
        await ArrangeAsync();
        await IngestAsync(_bed.BetaId, new UsageEventInput("beta-1", UsageMetric.ApiCalls, 5, _bed.Time.GetUtcNow().AddHours(-1)));

        var foreign = await Service().CreateAsync(Owner, new("x", "r", [new("e-16", UsageCorrectionAction.Void), new("beta-1", UsageCorrectionAction.Void)]), None);
        var unknown = await Service().CreateAsync(Owner, new("x", "r", [new("e-16", UsageCorrectionAction.Void), new("no-such", UsageCorrectionAction.Void)]), None);

        Assert.Equal((ErrorCodes.Invalid, "events[1].eventId"), (foreign.Error?.Code, foreign.Error?.Field));
        Assert.Equal(unknown.Error!.Message.Replace("no-such", "beta-1"), foreign.Error!.Message);
        Assert.Equal(1_250, await UsedAsync(UsageMetric.ApiCalls));
        await using var db = _bed.Database.CrossTenant();
        Assert.Empty(await db.UsageCorrections.ToListAsync());
    }

    public static TheoryData<string, string, string> Refusals() => new()
    {
        { "gauge", "events[0].eventId", "a level" },
        { "negative", "events[0].quantity", "negative" },
        { "decimals", "events[0].quantity", "decimal places" },
        { "twice", "events[1].eventId", "twice" },
        { "empty", "events", "none" },
        { "too-many", "events", "at most 1,000" },
        { "blank-reason", "reason", "reason is required" },
        { "long-reason", "reason", "at most 500" },
        { "reserved-id", "id", "reserved" },
        { "long-id", "id", "at most 128" },
        { "slash-id", "id", "'/'" },
        { "reserved-event", "events[0].eventId", "reserved" },
        { "backfill-existing", "events[0].eventId", "exists already" },
        { "backfill-gauge", "events[0].metric", "level" },
        { "backfill-future", "events[0].timestamp", "future" },
        { "backfill-too-old", "events[0].timestamp", "366 days" },
        { "void-quantity", "events[0].quantity", "no quantity" },
        { "amend-without-quantity", "events[0].quantity", "needs the quantity" },
        { "amend-with-metric", "events[0].metric", "Only a backfill" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Create_RefusesBadInput_NamingTheField_AndAppliesNothing(string bad, string field, string message)
    {
        await ArrangeAsync();
        var now = _bed.Time.GetUtcNow();
        UsageCorrectionItem Void(string id) => new(id, UsageCorrectionAction.Void);
        UsageCorrectionRequest request = bad switch
        {
            "gauge" => UsageCorrections.Void("x", "s-1"),
            "negative" => new("x", "r", [new("e-17", UsageCorrectionAction.Amend, -1)]),
            "decimals" => new("x", "r", [new("e-17", UsageCorrectionAction.Amend, 1.0000001m)]),
            "twice" => new("x", "r", [Void("e-17"), new("e-17", UsageCorrectionAction.Amend, 3)]),
            "empty" => new("x", "r", []),
            "too-many" => new("x", "r", Enumerable.Range(0, 1_001).Select(i => Void($"e-{i}")).ToList()),
            "blank-reason" => new("x", "  ", [Void("e-17")]),
            "long-reason" => new("x", new string('r', 501), [Void("e-17")]),
            "reserved-id" => new("~c1:1", "r", [Void("e-17")]),
            "long-id" => new(new string('x', 129), "r", [Void("e-17")]),
            "slash-id" => new("a/b", "r", [Void("e-17")]),
            "reserved-event" => new("x", "r", [Void("~c1:1")]),
            "backfill-existing" => UsageCorrections.Backfill("x", "e-17", 1, now),
            "backfill-gauge" => new("x", "r", [new("n-1", UsageCorrectionAction.Backfill, 1, UsageMetric.StorageGb, now.AddHours(-1))]),
            "backfill-future" => new("x", "r", [new("n-1", UsageCorrectionAction.Backfill, 1, UsageMetric.ApiCalls, now.AddHours(1))]),
            "backfill-too-old" => new("x", "r", [new("n-1", UsageCorrectionAction.Backfill, 1, UsageMetric.ApiCalls, now.AddDays(-367))]),
            "void-quantity" => new("x", "r", [new("e-17", UsageCorrectionAction.Void, 1)]),
            "amend-without-quantity" => new("x", "r", [new("e-17", UsageCorrectionAction.Amend)]),
            "amend-with-metric" => new("x", "r", [new("e-17", UsageCorrectionAction.Amend, 1, UsageMetric.ApiCalls)]),
            _ => throw new ArgumentOutOfRangeException(nameof(bad)),
        };

        var result = await Service().CreateAsync(Owner, request, None);

        Assert.Equal((ErrorCodes.Invalid, field), (result.Error?.Code, result.Error?.Field));
        Assert.Contains(message, result.Error!.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1_250, await UsedAsync(UsageMetric.ApiCalls));
        await using var db = _bed.Database.CrossTenant();
        Assert.Empty(await db.UsageCorrections.ToListAsync());
        Assert.Equal(0, await db.UsageEvents.CountAsync(e => e.ClientEventId.StartsWith("~")));
    }

    [Fact]
    public async Task Backfill_CountsAtOnce_RevertTakesItBack_AndItsIdCantBeCorrectedOrBackfilledAgain()
    {
        await ArrangeAsync();
        var now = _bed.Time.GetUtcNow();
        var lastMonth = new DateTimeOffset(2026, 10, 15, 0, 0, 0, TimeSpan.Zero);

        var created = await Service().CreateAsync(Owner, new("bf", "late reports",
        [
            new("late-1", UsageCorrectionAction.Backfill, 30, UsageMetric.ApiCalls, now.AddMinutes(-5)),
            new("late-2", UsageCorrectionAction.Backfill, 1.5m, UsageMetric.GpuHours, lastMonth),
        ]), None);

        Assert.True(created.IsSuccess, created.Error?.Message);
        Assert.Equal(1_280, await UsedAsync(UsageMetric.ApiCalls));
        Assert.True((await Service().RevertAsync(Owner, "bf", "wrong tenant", None)).IsSuccess);
        Assert.Equal(1_250, await UsedAsync(UsageMetric.ApiCalls));
        await RollUpAsync();
        await using (var db = _bed.Database.ForTenant(_bed.AlphaId))
            Assert.Equal(0m, await db.UsageRollups.Where(r => r.Metric == UsageMetric.GpuHours && r.Granularity == RollupGranularity.Month
                && r.PeriodStart == new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)).Select(r => r.Sum).SingleAsync());
        var voided = await Service().CreateAsync(Owner, UsageCorrections.Void("v", "late-1"), None);
        var again = await Service().CreateAsync(Owner, UsageCorrections.Backfill("bf2", "late-1", 30, now), None);
        Assert.Equal((ErrorCodes.Invalid, "events[0].eventId"), (voided.Error?.Code, voided.Error?.Field));
        Assert.Equal((ErrorCodes.Invalid, "events[0].eventId"), (again.Error?.Code, again.Error?.Field));
    }

    [Fact]
    public async Task Revert_Twice_IsAConflict_AndConcurrentRevertsApplyOnce()
    {
        await ArrangeAsync();
        await Service().CreateAsync(Owner, VoidAndAmend(), None);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Service().RevertAsync(Owner, "fix-1", null, None)));
        var again = await Service().RevertAsync(Owner, "fix-1", null, None);
        var unknown = await Service().RevertAsync(Owner, "nope", null, None);

        Assert.Single(results, r => r.IsSuccess);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCodes.Conflict, r.Error!.Code));
        Assert.Equal(ErrorCodes.Conflict, again.Error?.Code);
        Assert.Equal(ErrorCodes.NotFound, unknown.Error?.Code);
        Assert.Equal(1_250, await UsedAsync(UsageMetric.ApiCalls));
        Assert.Equal(7.25m, await UsedAsync(UsageMetric.GpuHours));
    }

    [Fact]
    public async Task Observers_AreToldAfterTheCommit_AndAFailingOneLeavesTheCorrectionApplied()
    {
        await ArrangeAsync();
        var seen = new RecordingObserver { Database = _bed.Database };

        var created = await Service([new FailingObserver(), seen]).CreateAsync(Owner, VoidAndAmend(), None);
        await Service([seen]).RevertAsync(Owner, "fix-1", "undo", None);

        Assert.True(created.IsSuccess);
        Assert.Equal(2, seen.Applied.Count);
        Assert.Equal([(UsageMetric.ApiCalls, -250m), (UsageMetric.GpuHours, -3.75m)], seen.Applied[0].Changes.Select(c => (c.Metric, c.Delta)));
        Assert.Equal((false, 1_000m), (seen.Applied[0].Reverted, seen.UsedWhenTold[0]));
        Assert.Equal([(UsageMetric.ApiCalls, 250m), (UsageMetric.GpuHours, 3.75m)], seen.Applied[1].Changes.Select(c => (c.Metric, c.Delta)));
        Assert.Equal((true, "undo", 1_250m), (seen.Applied[1].Reverted, seen.Applied[1].Reason, seen.UsedWhenTold[1]));
    }

    [Fact]
    public async Task ForTenant_IsForOperatorsOnly_AndAppliesToTheNamedTenant()
    {
        await ArrangeAsync();
        var service = UsageCorrections.Service(_bed, _bed.In(null), [_cache]);
        var operatorActor = await _bed.MakeOperatorAsync();

        var refused = await service.CreateForTenantAsync(Owner, _bed.AlphaId, VoidAndAmend(), None);
        var refusedList = await service.ListForTenantAsync(Owner, _bed.AlphaId, null, 10, None);
        var created = await service.CreateForTenantAsync(operatorActor, _bed.AlphaId, VoidAndAmend(), None);
        var listed = await service.ListForTenantAsync(operatorActor, _bed.AlphaId, null, 10, None);
        var refusedRevert = await service.RevertForTenantAsync(Owner, _bed.AlphaId, "fix-1", "no", None);
        var noReason = await service.RevertForTenantAsync(operatorActor, _bed.AlphaId, "fix-1", " ", None);
        Assert.Equal(1_000, await UsedAsync(UsageMetric.ApiCalls));
        var reverted = await service.RevertForTenantAsync(operatorActor, _bed.AlphaId, "fix-1", "customer asked", None);

        Assert.Equal(ErrorCodes.Forbidden, refused.Error?.Code);
        Assert.Equal(ErrorCodes.Forbidden, refusedList.Error?.Code);
        Assert.Equal(ErrorCodes.Forbidden, refusedRevert.Error?.Code);
        Assert.Equal((ErrorCodes.Invalid, "reason"), (noReason.Error?.Code, noReason.Error?.Field));
        Assert.True(created.IsSuccess, created.Error?.Message);
        Assert.Equal("fix-1", Assert.Single(listed.Value.Items).Id);
        Assert.True(reverted.IsSuccess, reverted.Error?.Message);
        Assert.Equal(1_250, await UsedAsync(UsageMetric.ApiCalls));
    }

    [Fact]
    public async Task List_PagesNewestFirst()
    {
        await ArrangeAsync();
        foreach (var id in new[] { "c1", "c2", "c3" })
            Assert.True((await Service().CreateAsync(Owner, UsageCorrections.Backfill(id, $"n-{id}", 1, _bed.Time.GetUtcNow()), None)).IsSuccess);

        var first = await Service().ListAsync(_bed.ActorOf("viewer"), null, 2, None);
        var second = await Service().ListAsync(_bed.ActorOf("viewer"), first.Value.NextAfter, 2, None);

        Assert.Equal(["c3", "c2"], first.Value.Items.Select(c => c.Id));
        Assert.Equal(["c1"], second.Value.Items.Select(c => c.Id));
        Assert.Null(second.Value.NextAfter);
    }

    private sealed class FailingObserver : IUsageCorrectionObserver
    {
        public Task CorrectedAsync(UsageCorrectionApplied applied, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the credit note service is down");
    }

    // Records what it is told, and what the database counts at that moment (the correction must be committed by then).
    private sealed class RecordingObserver : IUsageCorrectionObserver
    {
        public List<UsageCorrectionApplied> Applied { get; } = [];
        public List<decimal> UsedWhenTold { get; } = [];
        public TestDatabase? Database { get; set; }

        public async Task CorrectedAsync(UsageCorrectionApplied applied, CancellationToken cancellationToken)
        {
            Applied.Add(applied);
            await using var db = Database!.ForTenant(applied.TenantId);
            UsedWhenTold.Add(await db.UsageEvents.Where(e => e.Metric == UsageMetric.ApiCalls).SumAsync(e => e.Quantity, cancellationToken));
        }
    }
}
