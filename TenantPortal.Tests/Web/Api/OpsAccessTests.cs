using System.Net;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Web.Api;

[Collection(PortalCollection.Name)]
public class OpsAccessTests(PortalAppFactory portal)
{
    [Fact]
    public async Task Ops_IsRefused_ToATenantOwner()
    {
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, "owner@acme.test", PortalAppFactory.DemoPassword);

        var response = await client.GetAsync("/ops");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Ops_SendsAnonymousVisitorsToLogIn()
    {
        using var client = portal.CreateBrowserLikeClient();

        var response = await client.GetAsync("/ops");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Ops_IsServed_ToTheOperator()
    {
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword);

        var response = await client.GetAsync("/ops");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Fleet", await response.Content.ReadAsStringAsync());
    }
}
