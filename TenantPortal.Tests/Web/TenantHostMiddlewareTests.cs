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
        (await db.Tenants.FindAsync(_bed.BetaId))!.CustomDomain = "portal.beta-corp.com";
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => _bed.DisposeAsync();

    private async Task<(HttpContext Context, bool PassedOn)> RequestAsync(string host, string path, string rootDomain = "portal.test")
    {
        var passedOn = false;
        var middleware = new TenantHostMiddleware(_ => { passedOn = true; return Task.CompletedTask; },
            Options.Create(new TenancyOptions { RootDomain = rootDomain }), new MemoryCache(new MemoryCacheOptions()));
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        context.Request.Path = path;
        var tenant = new TenantContext();
        await middleware.InvokeAsync(context, new TestContextFactory(_bed.Database, tenant), tenant);
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
    public async Task CustomDomain_OpensItsTenant()
    {
        var (context, _) = await RequestAsync("portal.beta-corp.com", "/");

        Assert.Equal("/t/beta", context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task AnotherTenantsAddress_OnATenantHost_IsNotFound()
    {
        var (context, passedOn) = await RequestAsync("alpha.portal.test", "/t/beta/users");

        Assert.False(passedOn);
        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("portal.test", "/")]
    [InlineData("alpha.portal.test", "/t/alpha/users")]
    [InlineData("alpha.portal.test", "/Account/Login")]
    [InlineData("unknown.example.com", "/")]
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
