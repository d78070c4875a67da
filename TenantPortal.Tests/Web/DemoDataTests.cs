using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Core.Quotas;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Startup;

namespace TenantPortal.Tests.Web;

[Collection(PortalCollection.Name)]
public class DemoDataTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Seed_CreatesTheThreeDemoTenants_WithTheirTiersAndStatuses()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test");

        var tenants = await db.Tenants.ToDictionaryAsync(t => t.Slug);

        Assert.Equal((SubscriptionTier.Professional, TenantStatus.Active), (tenants["acme"].Tier, tenants["acme"].Status));
        Assert.Equal((SubscriptionTier.Starter, TenantStatus.Trial), (tenants["globex"].Tier, tenants["globex"].Status));
        Assert.NotNull(tenants["globex"].TrialEndsAt);
        Assert.Equal((SubscriptionTier.Free, TenantStatus.Active), (tenants["initech"].Tier, tenants["initech"].Status));
    }

    [Fact]
    public async Task Seed_GivesEveryTenantFourUsers_OneOfEachRole()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test");

        foreach (var slug in new[] { "acme", "globex", "initech" })
        {
            var roles = await db.Members
                .Join(db.Tenants.Where(t => t.Slug == slug), m => m.TenantId, t => t.Id, (m, t) => m)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Email, m.Role })
                .Where(x => x.Email!.EndsWith($"@{slug}.test"))
                .ToListAsync();
            Assert.Equal([TenantRole.Viewer, TenantRole.Member, TenantRole.Admin, TenantRole.Owner], roles.Select(r => r.Role).Order());
        }
    }

    [Fact]
    public async Task Seed_WritesNinetyDaysOfUsage()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test");
        var acme = await db.Tenants.SingleAsync(t => t.Slug == "acme");

        // Only the seeded events: other tests of this host report usage for acme at the time they run.
        var timestamps = await db.UsageEvents.Where(e => e.TenantId == acme.Id && e.ClientEventId.StartsWith("demo-"))
            .Select(e => e.Timestamp).ToListAsync();

        // Ninety days back from the seeding, to the hour: the first hourly event and the last may stand up to an hour
        // nearer or farther apart than ninety whole days.
        Assert.InRange((timestamps.Max() - timestamps.Min()).TotalDays, 89, 90 + 1 / 24d);
    }

    [Fact]
    public async Task Seed_InvoicesEveryClosedMonthOfAcme_ThroughTheInvoicingCode_AllPaid()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test");
        var acme = await db.Tenants.SingleAsync(t => t.Slug == "acme");

        var invoices = await db.Invoices.Include(i => i.Lines).Where(i => i.TenantId == acme.Id).ToListAsync();

        // One per month from the month acme was created to the last month whose grace window has passed.
        var last = InvoicingService.LastClosablePeriod(DateTimeOffset.UtcNow, 24);
        var months = 0;
        for (var p = PeriodMath.MonthStart(acme.CreatedAt); p <= last; p = p.AddMonths(1))
            months++;
        Assert.InRange(invoices.Count, months - 1, months);
        Assert.All(invoices, i => Assert.Equal(i.Lines.Sum(l => l.AmountCents), i.TotalCents));
        Assert.All(invoices, i => Assert.Equal(InvoiceStatus.Paid, i.Status));
        // The first month is prorated from the day acme was created; the later ones bill the whole month.
        var first = invoices.MinBy(i => i.PeriodStart)!;
        Assert.True(first.Lines.Single(l => l.Kind == InvoiceLineKind.Base).AmountCents < 19_900);
        var latest = invoices.MaxBy(i => i.PeriodStart)!;
        Assert.Equal(19_900, latest.Lines.Single(l => l.Kind == InvoiceLineKind.Base).AmountCents);
        // The invoice matches what the API-call events of its period add up to.
        var apiCalls = await db.UsageEvents
            .Where(e => e.TenantId == acme.Id && e.Metric == UsageMetric.ApiCalls && e.Timestamp >= latest.PeriodStart && e.Timestamp < latest.PeriodEnd)
            .SumAsync(e => e.Quantity);
        var apiLine = latest.Lines.SingleOrDefault(l => l.Metric == UsageMetric.ApiCalls);
        Assert.Equal(Math.Max(0, apiCalls - 1_000_000), apiLine?.Quantity ?? 0);
    }

    [Fact]
    public async Task Initech_IsNearItsApiQuota()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var access = await scope.ServiceProvider.GetRequiredService<TenantAccessService>()
            .EnterAsync("initech", await UserIdAsync(scope, "owner@initech.test"), signedInWithSecondFactor: false, CancellationToken.None);
        Assert.True(access.IsSuccess);

        var report = await scope.ServiceProvider.GetRequiredService<TenantPortal.Data.Services.Metering.UsageReportService>().CurrentAsync(CancellationToken.None);

        var apiCalls = report.Metrics.Single(u => u.Metric == UsageMetric.ApiCalls);
        Assert.Equal(10_000, apiCalls.Limit);
        Assert.Equal(DemoDataSeeder.InitechCurrentApiCalls, apiCalls.Used);
        Assert.Equal(QuotaBand.Red, apiCalls.Band);
    }

    [Fact]
    public async Task DemoApiKey_IsStoredHashed_ForAcme_WithEveryScope()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test");

        var key = await db.ApiKeys.SingleAsync(k => k.SecretHash == SecretHasher.Sha256Hex(PortalAppFactory.DemoApiKey));

        Assert.Equal((await db.Tenants.SingleAsync(t => t.Slug == "acme")).Id, key.TenantId);
        Assert.Equal(PortalAppFactory.DemoApiKey[..ApiKey.PrefixLength], key.Prefix);
        Assert.Equal(ApiKeyScopes.All.Order(), key.Scopes.Split(' ').Order());
        Assert.DoesNotContain(PortalAppFactory.DemoApiKey, key.SecretHash);
    }

    [Fact]
    public async Task DataProtectionKeys_ArePersistedInTheDatabase()
    {
        var protector = portal.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>().CreateProtector("test");
        Assert.Equal("secret", Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.Unprotect(protector, Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.Protect(protector, "secret")));

        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
    }

    private static async Task<string> UserIdAsync(AsyncServiceScope scope, string email) =>
        (await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Users.SingleAsync(u => u.Email == email)).Id;
}
