using System.Net;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api;

[Collection(PortalCollection.Name)]
public class HangfireDashboardTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Dashboard_SendsAnonymousVisitorsToLogIn()
    {
        using var client = portal.CreateBrowserLikeClient();

        var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Dashboard_IsRefused_ToATenantOwner()
    {
        using var client = portal.CreateBrowserLikeClient();
        var login = await AccountClient.LogInAsync(client, "owner@acme.test", PortalAppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        var response = await client.GetAsync("/hangfire");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden
            || response.Headers.Location?.PathAndQuery.StartsWith("/Account/AccessDenied") == true,
            $"Expected 403 or the access-denied page, got {(int)response.StatusCode} {response.Headers.Location}");
    }

    [Fact]
    public async Task Dashboard_IsServed_ToTheOperator()
    {
        using var client = portal.CreateBrowserLikeClient();
        var login = await AccountClient.LogInAsync(client, PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("TenantPortal jobs", await response.Content.ReadAsStringAsync());
    }
}
