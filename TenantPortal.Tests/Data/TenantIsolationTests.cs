using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Members;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data;

public abstract class TenantIsolationTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : TenantIsolationTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : TenantIsolationTests(DatabaseProvider.PostgreSql);

    private readonly TestDatabase _database = TestDatabase.Create(provider);
    private Guid _tenantA;
    private Guid _tenantB;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await using var db = _database.CrossTenant();
        var a = new TenantBuilder().Build();
        var b = new TenantBuilder().Build();
        db.Tenants.AddRange(a, b);
        var at = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        db.UsageEvents.AddRange(
            new UsageEvent { TenantId = a.Id, ClientEventId = "same-id", Metric = UsageMetric.ApiCalls, Quantity = 1, Timestamp = at, ReceivedAt = at },
            new UsageEvent { TenantId = b.Id, ClientEventId = "same-id", Metric = UsageMetric.ApiCalls, Quantity = 7, Timestamp = at, ReceivedAt = at },
            new UsageEvent { TenantId = b.Id, ClientEventId = "b-2", Metric = UsageMetric.GpuHours, Quantity = 2, Timestamp = at, ReceivedAt = at });
        db.AuditEntries.AddRange(
            new AuditEntry { TenantId = a.Id, Actor = "t", Action = "a.thing", OccurredAt = at },
            new AuditEntry { TenantId = b.Id, Actor = "t", Action = "b.thing", OccurredAt = at },
            new AuditEntry { TenantId = null, Actor = "t", Action = "fleet.thing", OccurredAt = at });
        await db.SaveChangesAsync();
        (_tenantA, _tenantB) = (a.Id, b.Id);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task QueryFilter_HidesTenantBsRows_FromTenantA()
    {
        await using var db = _database.ForTenant(_tenantA);

        var events = await db.UsageEvents.ToListAsync();
        var audit = await db.AuditEntries.ToListAsync();

        Assert.Single(events);
        Assert.All(events, e => Assert.Equal(_tenantA, e.TenantId));
        Assert.Equal("a.thing", Assert.Single(audit).Action);
        Assert.Null(await db.UsageEvents.FirstOrDefaultAsync(e => e.ClientEventId == "b-2"));
    }

    [Fact]
    public async Task QueryFilter_ShowsNothing_WhenNoTenantIsResolved()
    {
        await using var db = _database.CreateContext(new TenantContext());

        Assert.Empty(await db.UsageEvents.ToListAsync());
        Assert.Empty(await db.AuditEntries.ToListAsync());
    }

    [Fact]
    public async Task CrossTenantScope_SeesEveryTenant_AndEndsWhenDisposed()
    {
        var tenant = new TenantContext();
        tenant.SetTenant(_tenantA);
        await using var db = _database.CreateContext(tenant);

        using (tenant.BeginCrossTenantScope("test"))
            Assert.Equal(3, await db.UsageEvents.CountAsync());
        Assert.Equal(1, await db.UsageEvents.CountAsync());
    }

    [Fact]
    public async Task SaveGuard_Throws_WhenAddingARowOfAnotherTenant()
    {
        await using var db = _database.ForTenant(_tenantA);
        db.Members.Add(new TenantMember { TenantId = _tenantB, UserId = "nobody", Role = TenantRole.Owner });

        await Assert.ThrowsAsync<TenantIsolationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task SaveGuard_Throws_WhenChangingAForeignRowReadAcrossTenants()
    {
        var tenant = new TenantContext();
        tenant.SetTenant(_tenantA);
        await using var db = _database.CreateContext(tenant);
        UsageEvent foreign;
        using (tenant.BeginCrossTenantScope("test read"))
            foreign = await db.UsageEvents.SingleAsync(e => e.ClientEventId == "b-2");
        foreign.Quantity = 1_000;

        await Assert.ThrowsAsync<TenantIsolationException>(() => db.SaveChangesAsync());
        await using var check = _database.CrossTenant();
        Assert.Equal(2, (await check.UsageEvents.SingleAsync(e => e.ClientEventId == "b-2")).Quantity);
    }

    [Fact]
    public async Task SaveGuard_Throws_WhenNoTenantIsResolved()
    {
        await using var db = _database.CreateContext(new TenantContext());
        db.UsageEvents.Add(new UsageEvent { TenantId = _tenantA, ClientEventId = "x", Metric = UsageMetric.ApiCalls, Quantity = 1 });

        await Assert.ThrowsAsync<TenantIsolationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task SaveGuard_StampsTheCurrentTenant_OnANewRowWithoutOne()
    {
        await using (var db = _database.ForTenant(_tenantA))
        {
            db.UsageEvents.Add(new UsageEvent { ClientEventId = "stamped", Metric = UsageMetric.ApiCalls, Quantity = 1 });
            await db.SaveChangesAsync();
        }

        await using var check = _database.CrossTenant();
        Assert.Equal(_tenantA, (await check.UsageEvents.SingleAsync(e => e.ClientEventId == "stamped")).TenantId);
    }

    [Fact]
    public async Task UniqueIndex_RefusesARepeatedClientEventId_WithinOneTenant()
    {
        await using var db = _database.ForTenant(_tenantA);
        db.UsageEvents.Add(new UsageEvent { ClientEventId = "same-id", Metric = UsageMetric.ApiCalls, Quantity = 1 });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task UniqueIndex_RefusesADuplicateSlug()
    {
        await using var db = _database.CrossTenant();
        var slug = (await db.Tenants.FirstAsync(t => t.Id == _tenantA)).Slug;
        db.Tenants.Add(new TenantBuilder().WithSlug(slug).Build());

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }
}
