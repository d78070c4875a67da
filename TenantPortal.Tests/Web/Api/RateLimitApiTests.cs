using System.Net;
using TenantPortal.Core.Tenants;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api;

/// <summary>The test portal limits Free tenants to 5 requests a second (RateLimiting:Tiers:Free), so a burst shows it.</summary>
[Collection(PortalCollection.Name)]
public class RateLimitApiTests(PortalAppFactory portal)
{
    [Fact]
    public async Task ABurstOverTheTiersLimit_Gets429WithRetryAfter_AndOtherTenantsAreServed()
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, SubscriptionTier.Free, TenantStatus.Active);
        using var free = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug));
        using var acme = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);

        var burst = await Task.WhenAll(Enumerable.Range(0, 15).Select(_ => free.GetAsync("/api/v1/usage/current")));
        var other = await acme.GetAsync("/api/v1/usage/current");

        var refused = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.Equal("application/problem+json", refused[0].Content.Headers.ContentType?.MediaType);
        Assert.InRange(burst.Count(r => r.IsSuccessStatusCode), 1, 10);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
