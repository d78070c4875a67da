using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Domains;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Services.Domains;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Edge;

/// <summary>
/// In production, over real sockets: a verified domain (Settings, Domains) is served as its tenant's host and opens the
/// tenant; a claimed, unverified one is not served; and one that loses its verification stops being served at once,
/// though it was remembered a moment before (the host cache is told).
/// </summary>
public class VerifiedDomainHostTests(KestrelProductionPortalFactory production) : IClassFixture<KestrelProductionPortalFactory>
{
    [Fact]
    public async Task AVerifiedDomain_IsServedAsTheTenantsHost_UntilItLosesItsVerification()
    {
        var slug = await ApiKeys.CreateTenantAsync(production, SubscriptionTier.Starter, TenantStatus.Active);
        var name = $"{slug}.example";
        var domainId = await ClaimAsync(slug, name);

        var pending = await RawHttp.SendAsync(production.ServerAddress, "GET", "/", name);
        await WithDomainAsync(domainId, (domain, tenant, recorder, db) =>
        {
            domain.MarkVerified(DateTimeOffset.UtcNow);
            return Task.CompletedTask;
        });
        var verified = await RawHttp.SendAsync(production.ServerAddress, "GET", "/", name);
        var remembered = await RawHttp.SendAsync(production.ServerAddress, "GET", "/", name.ToUpperInvariant() + ".");
        // Three failed daily checks, as the domain-verification job records them.
        var notFound = new DomainCheck(DomainCheckOutcome.NotFound, "No TXT record was found.");
        for (var day = 1; day <= TenantDomain.FailedChecksBeforeUnverified; day++)
        {
            var now = DateTimeOffset.UtcNow.AddDays(day);
            await WithDomainAsync(domainId, async (domain, tenant, recorder, db) =>
            {
                var applied = await recorder.ApplyAsync(db, tenant, domain, notFound, now, CancellationToken.None);
                await db.SaveChangesAsync();
                await recorder.AfterSaveAsync(tenant, domain, applied, CancellationToken.None);
            });
        }
        var lost = await RawHttp.SendAsync(production.ServerAddress, "GET", "/", name);

        Assert.Equal(400, pending.Status);
        Assert.Equal(302, verified.Status);
        Assert.Equal($"/t/{slug}", verified.Headers["Location"]);
        Assert.Equal(302, remembered.Status);
        Assert.Equal(400, lost.Status);
    }

    [Fact]
    public async Task AVerifiedDomain_IsServed_AlsoWhenThePortalHasNoRootDomain()
    {
        // A portal without tenant subdomains (no Tenancy:RootDomain, as deploy/local-cluster.sh runs it) still serves
        // its tenants' verified domains: found on the cluster, where the demo's verified domain was a 400.
        var slug = await ApiKeys.CreateTenantAsync(production, SubscriptionTier.Starter, TenantStatus.Active);
        var name = $"{slug}.example";
        var domainId = await ClaimAsync(slug, name);
        await WithDomainAsync(domainId, (domain, _, _, _) =>
        {
            domain.MarkVerified(DateTimeOffset.UtcNow);
            return Task.CompletedTask;
        });
        await using var withoutRootDomain = production.WithWebHostBuilder(b => b.UseSetting("Tenancy:RootDomain", ""));
        using var client = withoutRootDomain.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Host = name;
        using var unknown = new HttpRequestMessage(HttpMethod.Get, "/");
        unknown.Headers.Host = "unknown-" + name;

        using var served = await client.GetAsync("/");
        using var refused = await client.SendAsync(unknown);

        Assert.Equal(System.Net.HttpStatusCode.Found, served.StatusCode);
        Assert.Equal($"/t/{slug}", served.Headers.Location?.OriginalString);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
    }

    private async Task<Guid> ClaimAsync(string slug, string name)
    {
        await using var scope = production.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug);
        var domain = TenantDomain.Claim(tenant.Id, name, "host-test-token", DateTimeOffset.UtcNow);
        db.TenantDomains.Add(domain);
        await db.SaveChangesAsync();
        return domain.Id;
    }

    // Works for the domain's tenant, as the job's scope does, and saves.
    private async Task WithDomainAsync(Guid domainId, Func<TenantDomain, Tenant, DomainCheckRecorder, PortalDbContext, Task> work)
    {
        Guid tenantId;
        await using (var lookup = production.Services.CreateAsyncScope())
        {
            var db = lookup.ServiceProvider.GetRequiredService<PortalDbContext>();
            using var cross = lookup.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
            tenantId = await db.TenantDomains.Where(d => d.Id == domainId).Select(d => d.TenantId).SingleAsync();
        }
        await using var scope = production.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetTenant(tenantId);
        var context = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var domain = await context.TenantDomains.SingleAsync(d => d.Id == domainId);
        var tenant = await context.Tenants.SingleAsync(t => t.Id == tenantId);
        await work(domain, tenant, scope.ServiceProvider.GetRequiredService<DomainCheckRecorder>(), context);
        await context.SaveChangesAsync();
    }
}
