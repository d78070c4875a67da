using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Identity;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Builders;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Fleet;

/// <summary>
/// One database with 10,000 generated tenants (tier, status, cycle and trial end cycling with the index) plus five
/// named tenants with known usage this period, and an operator. Seeded once per test class.
/// </summary>
public class FleetFixture : IAsyncLifetime
{
    /// <summary>The fleet on SQLite (a class fixture needs a constructor without arguments).</summary>
    public FleetFixture() : this(DatabaseProvider.Sqlite)
    {
    }

    protected FleetFixture(DatabaseProvider provider) => Database = TestDatabase.Create(provider);

    /// <summary>The fleet on PostgreSQL.</summary>
    public sealed class OnPostgreSql() : FleetFixture(DatabaseProvider.PostgreSql);

    public const int Generated = 10_000;
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset PeriodStart = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public TestDatabase Database { get; }
    public FakeTimeProvider Time { get; } = new(Now);

    /// <summary>Every seeded tenant as it was written, for computing expectations with LINQ to Objects.</summary>
    public List<Tenant> Tenants { get; } = [];

    public Actor Operator { get; } = new("fleet-operator", "operator@portal.test");
    public Actor Stranger { get; } = new("fleet-stranger", "stranger@portal.test");

    public FleetService Service()
    {
        var tenant = new TenantContext();
        return new FleetService(new TestContextFactory(Database, tenant), tenant, Time);
    }

    public Guid IdOf(string slug) => Tenants.Single(t => t.Slug == slug).Id;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await using var db = Database.CrossTenant();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var i = 0; i < Generated; i++)
        {
            var status = (TenantStatus)(i % 5);
            var tier = (SubscriptionTier)(i % 4);
            // Free has no trial, is never past due, and has no subscription to cancel: those are Starter instead.
            if (tier == SubscriptionTier.Free && status is TenantStatus.Trial or TenantStatus.PastDue or TenantStatus.Cancelled)
                tier = SubscriptionTier.Starter;
            Tenants.Add(new TenantBuilder().WithName($"Tenant {i:D5}").WithSlug($"tenant-{i:D5}")
                .OnPlan(tier, i % 10 == 1 ? BillingCycle.Annual : BillingCycle.Monthly).WithStatus(status)
                .CreatedAt(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i))
                .WithTrialEndingAt(Now.AddDays(i % 10 == 0 ? 3 : 20)).At(Now.AddDays(-1))
                .Build());
        }
        var hot = Named("Hot API Co", "hot-api", SubscriptionTier.Starter);
        var gpu = Named("Over GPU Ltd", "over-gpu", SubscriptionTier.Free);
        var storage = Named("Full Storage Inc", "full-storage", SubscriptionTier.Starter);
        var overridden = Named("Override Org", "override-org", SubscriptionTier.Free);
        var enterprise = Named("Big Enterprise", "big-enterprise", SubscriptionTier.Enterprise);
        db.Tenants.AddRange(Tenants);
        await db.SaveChangesAsync();

        // 95,000 of 100,000 API calls: red band, not over.
        db.UsageRollups.Add(MonthRollup(hot.Id, UsageMetric.ApiCalls, 95_000));
        // GPU on Free (5 h): 1 h rolled up (its event is behind the watermark and must not count twice) + 6 h fresh = 140 %.
        db.UsageRollups.Add(MonthRollup(gpu.Id, UsageMetric.GpuHours, 1));
        var rolled = Event(gpu.Id, UsageMetric.GpuHours, 1, Now.AddDays(-5));
        db.UsageEvents.Add(rolled);
        // Storage on Starter (100 GB): the latest level, 100 GB, counts, not the earlier 150 GB.
        db.UsageEvents.Add(Event(storage.Id, UsageMetric.StorageGb, 150, Now.AddDays(-2)));
        db.UsageEvents.Add(Event(storage.Id, UsageMetric.StorageGb, 100, Now.AddHours(-1)));
        // Free with an API override of 1,000,000: 50,000 calls are 5 %, not 500 %.
        db.QuotaOverrides.Add(new QuotaOverride { TenantId = overridden.Id, Metric = UsageMetric.ApiCalls, Limit = 1_000_000, CreatedAt = Now });
        db.UsageRollups.Add(MonthRollup(overridden.Id, UsageMetric.ApiCalls, 50_000));
        // Enterprise is unlimited whatever it uses; last month's rollup does not count either.
        db.UsageRollups.Add(MonthRollup(enterprise.Id, UsageMetric.ApiCalls, 5_000_000));
        db.UsageRollups.Add(new UsageRollup { TenantId = hot.Id, Metric = UsageMetric.GpuHours, Granularity = RollupGranularity.Month, PeriodStart = PeriodStart.AddMonths(-1), Sum = 1_000, UpdatedAt = Now });
        foreach (var n in new[] { 1, 2, 3 })
        {
            var user = new PortalUser { Id = $"hot-user-{n}", UserName = $"u{n}@hot.test", NormalizedUserName = $"U{n}@HOT.TEST", Email = $"u{n}@hot.test", CreatedAt = Now };
            db.Users.Add(user);
            db.Members.Add(new TenantMember { TenantId = hot.Id, UserId = user.Id, Role = TenantRole.Member, JoinedAt = Now });
        }
        var role = new IdentityRole(PortalRoles.Operator) { NormalizedName = PortalRoles.Operator.ToUpperInvariant() };
        db.Roles.Add(role);
        db.Users.Add(new PortalUser { Id = Operator.UserId, UserName = Operator.Display, NormalizedUserName = Operator.Display.ToUpperInvariant(), Email = Operator.Display, CreatedAt = Now });
        db.Users.Add(new PortalUser { Id = Stranger.UserId, UserName = Stranger.Display, NormalizedUserName = Stranger.Display.ToUpperInvariant(), Email = Stranger.Display, CreatedAt = Now });
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = Operator.UserId, RoleId = role.Id });
        await db.SaveChangesAsync();

        var watermark = await db.MeteringWatermarks.SingleAsync(w => w.Name == MeteringWatermark.Rollup);
        watermark.LastEventId = rolled.Id;
        db.Entry(watermark).State = EntityState.Modified;
        db.UsageEvents.Add(Event(gpu.Id, UsageMetric.GpuHours, 4, Now.AddDays(-1)));
        db.UsageEvents.Add(Event(gpu.Id, UsageMetric.GpuHours, 2, Now.AddHours(-2)));
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => Database.DisposeAsync();

    private Tenant Named(string name, string slug, SubscriptionTier tier)
    {
        var tenant = new TenantBuilder().WithName(name).WithSlug(slug).OnPlan(tier).CreatedAt(Now.AddDays(-30)).Build();
        Tenants.Add(tenant);
        return tenant;
    }

    private static UsageRollup MonthRollup(Guid tenantId, UsageMetric metric, decimal sum) =>
        new() { TenantId = tenantId, Metric = metric, Granularity = RollupGranularity.Month, PeriodStart = PeriodStart, Sum = sum, EventCount = 1, UpdatedAt = Now };

    private static int _event;

    private static UsageEvent Event(Guid tenantId, UsageMetric metric, decimal quantity, DateTimeOffset at) =>
        new() { TenantId = tenantId, ClientEventId = $"fleet-{Interlocked.Increment(ref _event)}", Metric = metric, Quantity = quantity, Timestamp = at, ReceivedAt = at };
}
