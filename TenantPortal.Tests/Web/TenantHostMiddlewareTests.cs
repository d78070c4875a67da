using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Options;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Web;

public class TenantHostMiddlewareTests : IAsyncLifetime
{
    private readonly TenancyTestBed _bed = new();

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        await using var db = _bed.Database.CrossTenant();
        var beta = (await db.Tenants.FindAsync(_bed.BetaId))!;
        beta.CustomDomain = "portal.beta-corp.com";
        beta.CustomDomainVerifiedAt = _bed.Time.GetUtcNow();
        (await db.Tenants.FindAsync(_bed.AlphaId))!.CustomDomain = "portal.alpha-corp.com";
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    private async Task<(HttpContext Context, bool PassedOn)> RequestAsync(string host, string path, string rootDomain = "portal.test")
    {
        var passedOn = false;
        var middleware = new TenantHostMiddleware(_ => { passedOn = true; return Task.CompletedTask; });
        var addresses = new PortalAddresses(Options.Create(new PortalOptions { PublicUrl = "https://portal.test" }), Options.Create(new TenancyOptions { RootDomain = rootDomain }));
        var context = new DefaultHttpContext();
        context.Request.Headers.Host = host;
        context.Request.Path = path;
        var tenant = new TenantContext();
        await middleware.InvokeAsync(context, new TenantHosts(addresses, new MemoryCache(new MemoryCacheOptions()), new TestContextFactory(_bed.Database, tenant), tenant));
        return (context, passedOn);
    }

    [Fact]
    public async Task TenantSubdomain_OpensThatTenant_AtTheRoot()
    {
        var (context, passedOn) = await RequestAsync("alpha.portal.test", "/");

        Assert.False(passedOn);
        Assert.Equal("/t/alpha", context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task VerifiedCustomDomain_OpensItsTenant()
    {
        var (context, _) = await RequestAsync("portal.beta-corp.com", "/");

        Assert.Equal("/t/beta", context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task UnverifiedCustomDomain_OpensNothing()
    {
        var (context, passedOn) = await RequestAsync("portal.alpha-corp.com", "/");

        Assert.True(passedOn);
        Assert.Equal(200, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("alpha.portal.test", "/t/beta/users")]
    [InlineData("alpha.portal.test.", "/t/beta/users")]
    [InlineData("ALPHA.Portal.Test.", "/t/beta/users")]
    [InlineData("alpha.portal.test:8443", "/T/beta")]
    [InlineData("Portal.Beta-Corp.COM.", "/t/alpha")]
    public async Task AnotherTenantsAddress_OnATenantHost_IsNotFound(string host, string path)
    {
        var (context, passedOn) = await RequestAsync(host, path);

        Assert.False(passedOn);
        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("portal.test", "/")]
    [InlineData("alpha.portal.test", "/t/alpha/users")]
    [InlineData("alpha.portal.test.", "/t/ALPHA/users")]
    [InlineData("alpha.portal.test", "/Account/Login")]
    [InlineData("unknown.example.com", "/")]
    [InlineData("ops.portal.test", "/")]
    public async Task OtherRequests_PassOn(string host, string path)
    {
        var (_, passedOn) = await RequestAsync(host, path);

        Assert.True(passedOn);
    }

    [Fact]
    public async Task WithoutARootDomain_HostsMeanNothing()
    {
        var (context, passedOn) = await RequestAsync("alpha.portal.test", "/", rootDomain: "");

        Assert.True(passedOn);
        Assert.Equal(200, context.Response.StatusCode);
    }
}
