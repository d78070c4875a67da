using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Interceptors;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Fleet;

/// <summary>
/// The fleet snapshot follows the live data: events stored after a read, plan, override and member changes, a change
/// saved elsewhere (within <see cref="FleetSnapshotRefresher.MaxAge"/>), a new month, a storage reading timestamped
/// ahead, new and deleted tenants. After every step the snapshot equals the live computation for every tenant.
/// </summary>
public abstract class FleetSnapshotTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : FleetSnapshotTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : FleetSnapshotTests(DatabaseProvider.PostgreSql);

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TestDatabase _database = TestDatabase.Create(provider);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly FleetSnapshotChanges _changes = new();
    private readonly Actor _operator = new("snapshot-operator", "operator@snapshot.test");
    private Tenant _starter = null!;
    private Tenant _other = null!;
    private int _events;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.CrossTenant();
        _starter = new TenantBuilder().WithName("Starter Co").WithSlug("starter-co").OnPlan(SubscriptionTier.Starter).At(Now.AddDays(-1)).Build();
        _other = new TenantBuilder().WithName("Other Co").WithSlug("other-co").OnPlan(SubscriptionTier.Free).At(Now.AddDays(-1)).Build();
        db.Tenants.AddRange(_starter, _other);
        var role = new IdentityRole(PortalRoles.Operator) { NormalizedName = PortalRoles.Operator.ToUpperInvariant() };
        db.Roles.Add(role);
        db.Users.Add(new PortalUser { Id = _operator.UserId, UserName = _operator.Display, NormalizedUserName = _operator.Display.ToUpperInvariant(), Email = _operator.Display, CreatedAt = Now });
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = _operator.UserId, RoleId = role.Id });
        await db.SaveChangesAsync();
        await AddEventAsync(_starter.Id, UsageMetric.ApiCalls, 50_000, Now.AddHours(-3));
        await AddEventAsync(_other.Id, UsageMetric.GpuHours, 1, Now.AddHours(-3));
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task ListAsync_CountsEventsStoredSinceTheLastRead()
    {
        Assert.Equal(50m, (await RowAsync("starter-co")).ApiCallsPercent);

        await AddEventAsync(_starter.Id, UsageMetric.ApiCalls, 30_000, Now.AddMinutes(-1));

        Assert.Equal(80m, (await RowAsync("starter-co")).ApiCallsPercent);
        await AssertSnapshotIsLiveAsync();
    }

    [Fact]
    public async Task ListAsync_ShowsPlanOverrideAndMemberChanges_AtTheNextRead()
    {
        Assert.Equal(50m, (await RowAsync("starter-co")).ApiCallsPercent);

        await using (var db = WritingContext())
        {
            var tenant = await db.Tenants.SingleAsync(t => t.Id == _starter.Id);
            Assert.True(tenant.ChangeTierByOperator(SubscriptionTier.Professional, Now).IsSuccess);
            await db.SaveChangesAsync();
        }
        Assert.Equal(5m, (await RowAsync("starter-co")).ApiCallsPercent);

        await using (var db = WritingContext())
        {
            db.QuotaOverrides.Add(new QuotaOverride { TenantId = _starter.Id, Metric = UsageMetric.ApiCalls, Limit = 40_000, CreatedAt = Now });
            db.Users.Add(new PortalUser { Id = "member-1", UserName = "m1@snapshot.test", NormalizedUserName = "M1@SNAPSHOT.TEST", Email = "m1@snapshot.test", CreatedAt = Now });
            db.Members.Add(new TenantMember { TenantId = _starter.Id, UserId = "member-1", Role = TenantRole.Member, JoinedAt = Now });
            await db.SaveChangesAsync();
        }
        var row = await RowAsync("starter-co");

        Assert.Equal(125m, row.ApiCallsPercent);
        Assert.Equal(1, row.Members);
        Assert.Equal(1, (await SummaryAsync()).OverQuota);
        await AssertSnapshotIsLiveAsync();
    }

    [Fact]
    public async Task ListAsync_ShowsAChangeSavedByAnotherInstance_WithinMaxAge()
    {
        Assert.Equal(50m, (await RowAsync("starter-co")).ApiCallsPercent);

        // Saved without this process's interceptor, as another instance would.
        await using (var db = _database.CrossTenant())
        {
            db.QuotaOverrides.Add(new QuotaOverride { TenantId = _starter.Id, Metric = UsageMetric.ApiCalls, Limit = 1_000_000, CreatedAt = Now });
            await db.SaveChangesAsync();
        }
        Assert.Equal(50m, (await RowAsync("starter-co")).ApiCallsPercent);
        _time.Advance(FleetSnapshotRefresher.MaxAge + TimeSpan.FromSeconds(1));

        Assert.Equal(5m, (await RowAsync("starter-co")).ApiCallsPercent);
        await AssertSnapshotIsLiveAsync();
    }

    [Fact]
    public async Task ListAsync_ShowsAChangeSavedByAnotherPortalInstance_AtItsNextFleetScan()
    {
        Assert.Equal(50m, (await RowAsync("starter-co")).ApiCallsPercent);

        // Another instance: the same interceptor, its own in-process marks (which this process never sees).
        await using (var db = WritingContext(new FleetSnapshotChanges()))
        {
            var tenant = await db.Tenants.SingleAsync(t => t.Id == _starter.Id);
            Assert.True(tenant.ChangeTierByOperator(SubscriptionTier.Professional, Now).IsSuccess);
            await db.SaveChangesAsync();
        }
        _time.Advance(FleetSnapshotChanges.ScanInterval + TimeSpan.FromSeconds(1));

        Assert.Equal(5m, (await RowAsync("starter-co")).ApiCallsPercent);
        await AssertSnapshotIsLiveAsync();
    }

    [Fact]
    public async Task ListAsync_StartsFromZero_WhenThePeriodRollsOver()
    {
        Assert.Equal(50m, (await RowAsync("starter-co")).ApiCallsPercent);

        _time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 1, TimeSpan.Zero));

        Assert.Equal(0m, (await RowAsync("starter-co")).ApiCallsPercent);
        Assert.Equal(0m, (await RowAsync("other-co")).GpuHoursPercent);
        await AssertSnapshotIsLiveAsync();
    }

    [Fact]
    public async Task ListAsync_ShowsAStorageReadingTimestampedAhead_OnceItsTimeHasCome()
    {
        await AddEventAsync(_starter.Id, UsageMetric.StorageGb, 10, Now.AddHours(-1));
        await AddEventAsync(_starter.Id, UsageMetric.StorageGb, 90, Now.AddMinutes(3));

        Assert.Equal(10m, (await RowAsync("starter-co")).StoragePercent);
        _time.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(90m, (await RowAsync("starter-co")).StoragePercent);
        await AssertSnapshotIsLiveAsync();
    }

    [Fact]
    public async Task ListAsync_ListsANewTenant_AndForgetsADeletedOne()
    {
        Assert.Equal(2, (await ListAsync(new FleetQuery())).Total);
        var added = new TenantBuilder().WithName("New Co").WithSlug("new-co").OnPlan(SubscriptionTier.Free).At(Now).Build();
        await using (var db = WritingContext())
        {
            db.Tenants.Add(added);
            await db.SaveChangesAsync();
        }
        await AddEventAsync(added.Id, UsageMetric.ApiCalls, 10_000, Now);

        Assert.Equal(100m, (await RowAsync("new-co")).ApiCallsPercent);
        Assert.Equal(3, (await ListAsync(new FleetQuery())).Total);
        Assert.Equal(1, (await SummaryAsync()).OverQuota);

        await using (var db = WritingContext())
        {
            await db.UsageEvents.Where(e => e.TenantId == added.Id).ExecuteDeleteAsync();
            db.Tenants.Remove(await db.Tenants.SingleAsync(t => t.Id == added.Id));
            await db.SaveChangesAsync();
        }

        Assert.Equal(2, (await ListAsync(new FleetQuery())).Total);
        Assert.Equal(0, (await SummaryAsync()).OverQuota);
        await using (var db = _database.CrossTenant())
            Assert.False(await db.FleetUsageSnapshots.AnyAsync(s => s.TenantId == added.Id));
        await AssertSnapshotIsLiveAsync();
    }

    [Fact]
    public async Task RefreshAsync_RecomputesNothing_WhenNothingChanged()
    {
        await ListAsync(new FleetQuery());
        var refresher = new FleetSnapshotRefresher(_changes);
        await using var db = _database.CrossTenant();

        Assert.Equal(0, await refresher.RefreshAsync(db, _time.GetUtcNow(), None));
        await AddEventAsync(_other.Id, UsageMetric.GpuHours, 1, Now);
        Assert.Equal(1, await refresher.RefreshAsync(db, _time.GetUtcNow(), None));
    }

    private FleetService Service()
    {
        var tenant = new TenantContext();
        return new FleetService(new TestContextFactory(_database, tenant), tenant, _time, _changes);
    }

    // A context that reports its saves to the fleet snapshot, as the portal's contexts do.
    // A context saving through the interceptor with this process's marks, or with another instance's (its own marks).
    private PortalDbContext WritingContext(FleetSnapshotChanges? changes = null)
    {
        var tenant = new TenantContext();
        tenant.BeginCrossTenantScope("test arrangement");
        return _database.CreateContext(tenant, new FleetSnapshotInterceptor(changes ?? _changes));
    }

    private async Task<FleetPage> ListAsync(FleetQuery query)
    {
        var result = await Service().ListAsync(_operator, query, None);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    private async Task<FleetTenantRow> RowAsync(string slug) => Assert.Single((await ListAsync(new FleetQuery { Search = slug })).Rows);

    private async Task<FleetSummary> SummaryAsync()
    {
        var result = await Service().SummaryAsync(_operator, None);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    private async Task AddEventAsync(Guid tenantId, UsageMetric metric, decimal quantity, DateTimeOffset at)
    {
        await using var db = _database.CrossTenant();
        db.UsageEvents.Add(new UsageEvent { TenantId = tenantId, ClientEventId = $"snapshot-{++_events}", Metric = metric, Quantity = quantity, Timestamp = at, ReceivedAt = at });
        await db.SaveChangesAsync();
    }

    private async Task AssertSnapshotIsLiveAsync()
    {
        await using var db = _database.CrossTenant();
        await FleetSnapshotAssert.EqualsLiveAsync(db, _time.GetUtcNow());
    }
}
