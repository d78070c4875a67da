using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Edge;

/// <summary>
/// The host rules in production, over real sockets (the test server's client can't send a malformed host): a malformed
/// <c>Host</c> is a 400 on every path; a well-formed one that is not the portal's (its public host, a tenant host under
/// <c>Tenancy:RootDomain</c>, a verified custom domain) is a 400 except on the health and metrics endpoints; case and
/// one trailing dot don't matter.
/// </summary>
public class HostRulesTests(KestrelProductionPortalFactory production) : IClassFixture<KestrelProductionPortalFactory>
{
    private static readonly string[] Paths = ["/health/live", "/health/ready", "/", "/Account/Login", "/api/v1/tenant", "/t/acme", "/metrics"];

    public static TheoryData<string> MalformedHosts() =>
    [
        "xn--a", "xn--", "xn--zz-", "a..b", ".", "..", ".example", "example..", "-a.example", "a-.example", "a_b.example",
        "host:99999", "host:0", "host:", "host:http", "host:80:80", "[::1", "[zz::1]", "[::1]x", "1.2.3.4.5", "999.1.1.1",
        new string('a', 64) + ".example", string.Join('.', Enumerable.Repeat(new string('a', 60), 5)),
    ];

    [Theory]
    [MemberData(nameof(MalformedHosts))]
    public async Task MalformedHost_Is400WithAProblem_OnEveryPath(string host)
    {
        foreach (var path in Paths)
        {
            var response = await RawHttp.SendAsync(production.ServerAddress, "GET", path, host);

            Assert.True(response.Status == 400, $"Host '{host}' on {path}: {response.Status} {response.Body}");
            // Kestrel refuses some (a second colon, a bad bracket) itself, with an empty 400; the portal names the problem.
            if (response.Headers.TryGetValue("Content-Type", out var type))
            {
                Assert.StartsWith("application/problem+json", type);
                Assert.Contains("\"invalid_host\"", response.Body);
            }
        }
    }

    [Fact]
    public async Task NoHostAtAll_Is400()
    {
        var response = await RawHttp.SendAsync(production.ServerAddress, "GET", "/health/live", host: null, version: "HTTP/1.0");

        Assert.Equal(400, response.Status);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("portal.example.com.evil.example")]
    [InlineData("evilportal.example.com")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("portal.test")]
    [InlineData("a.b.portal.test")]
    [InlineData("ops.portal.test")]
    public async Task HostThatIsNotThePortals_Is400_ButHealthAndMetricsAnswer(string host)
    {
        foreach (var path in new[] { "/", "/Account/Login", "/api/v1/tenant", "/t/acme" })
        {
            var response = await RawHttp.SendAsync(production.ServerAddress, "GET", path, host);

            Assert.True(response.Status == 400, $"Host '{host}' on {path}: {response.Status}");
            Assert.Equal("unknown_host", JsonDocument.Parse(Dechunk(response.Body)).RootElement.GetProperty("code").GetString());
        }
        Assert.Equal(200, (await RawHttp.SendAsync(production.ServerAddress, "GET", "/health/live", host)).Status);
        Assert.Equal(200, (await RawHttp.SendAsync(production.ServerAddress, "GET", "/health/ready", host)).Status);
        Assert.NotEqual(400, (await RawHttp.SendAsync(production.ServerAddress, "GET", "/metrics", host)).Status);
    }

    [Theory]
    [InlineData("portal.example.com")]
    [InlineData("PORTAL.Example.COM")]
    [InlineData("portal.example.com.")]
    [InlineData("portal.example.com:8443")]
    [InlineData("acme.portal.test")]
    [InlineData("Acme.Portal.Test.")]
    public async Task ThePortalsHosts_AreServed(string host)
    {
        var response = await RawHttp.SendAsync(production.ServerAddress, "GET", "/Account/Login", host);

        Assert.Equal(200, response.Status);
    }

    [Theory]
    [InlineData("acme.portal.test")]
    [InlineData("acme.portal.test.")]
    [InlineData("ACME.PORTAL.TEST.")]
    public async Task AnotherTenantsAddress_OnATenantHost_IsNotFound_WhateverTheCaseOrTrailingDot(string host)
    {
        var response = await RawHttp.SendAsync(production.ServerAddress, "GET", "/t/globex/users", host);

        Assert.Equal(404, response.Status);
    }

    [Fact]
    public async Task ACustomDomain_IsNotServed_UntilItIsVerified()
    {
        var slug = await ApiKeys.CreateTenantAsync(production, SubscriptionTier.Starter, TenantStatus.Active);
        var domain = $"portal.{slug}.example";
        await SetCustomDomainAsync(slug, domain, verified: false);

        var unverified = await RawHttp.SendAsync(production.ServerAddress, "GET", "/", domain);
        await SetCustomDomainAsync(slug, domain, verified: true);
        // A host that is no tenant's is looked up again on every request: a domain serves as soon as it is verified.
        var verified = await RawHttp.SendAsync(production.ServerAddress, "GET", "/", domain.ToUpperInvariant() + ".");

        Assert.Equal(400, unverified.Status);
        Assert.Equal(302, verified.Status);
        Assert.Equal($"/t/{slug}", verified.Headers["Location"]);
    }

    private async Task SetCustomDomainAsync(string slug, string domain, bool verified)
    {
        await using var scope = production.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenant = await db.Tenants.SingleAsync(t => t.Slug == slug);
        tenant.CustomDomain = domain;
        tenant.CustomDomainVerifiedAt = verified ? DateTimeOffset.UtcNow : null;
        await db.SaveChangesAsync();
    }

    // Kestrel answers Connection: close requests without a length in chunks; the problem body is one chunk.
    private static string Dechunk(string body) => body.Contains('{') ? body[body.IndexOf('{')..(body.LastIndexOf('}') + 1)] : body;
}
