using System.Security.Claims;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Authorization;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Web.Operations;

/// <summary>The Hangfire dashboard's own filter, with the portal's authorization policies and a hand-made request.</summary>
[Collection(PortalCollection.Name)]
public class OperatorDashboardAuthorizationFilterTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Authorize_RefusesAnAnonymousVisitor()
    {
        Assert.False(await AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    [Fact]
    public async Task Authorize_RefusesASignedInTenantUser()
    {
        Assert.False(await AuthorizeAsync(SignedIn("owner@acme.test")));
    }

    [Fact]
    public async Task Authorize_RefusesARoleClaimOnAnUnauthenticatedIdentity()
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, PortalRoles.Operator)]);

        Assert.False(await AuthorizeAsync(new ClaimsPrincipal(identity)));
    }

    [Fact]
    public async Task Authorize_AllowsAnOperator()
    {
        Assert.True(await AuthorizeAsync(SignedIn(PortalAppFactory.OperatorEmail, PortalRoles.Operator)));
    }

    private static ClaimsPrincipal SignedIn(string email, params string[] roles) =>
        new(new ClaimsIdentity(
            new[] { new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new Claim(ClaimTypes.Name, email) }
                .Concat(roles.Select(r => new Claim(ClaimTypes.Role, r))),
            "Identity.Application"));

    private async Task<bool> AuthorizeAsync(ClaimsPrincipal user)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { User = user, RequestServices = scope.ServiceProvider };
        var context = new AspNetCoreDashboardContext(portal.Services.GetRequiredService<JobStorage>(), new DashboardOptions(), http);
        return await new OperatorDashboardAuthorizationFilter().AuthorizeAsync(context);
    }
}
