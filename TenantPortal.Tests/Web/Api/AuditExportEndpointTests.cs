using System.Net;
using TenantPortal.Data.Services.Audit.Export;
using TenantPortal.Tests.Data.Audit;
using TenantPortal.Tests.Infrastructure;
using static TenantPortal.Tests.Infrastructure.ApiResponses;

namespace TenantPortal.Tests.Web.Api;

/// <summary>
/// The audit downloads behind the "Export" buttons, over HTTP with the portal's cookie: a tenant's (Admin, a plan with
/// audit_export; acme is on Professional, initech on Free) and the fleet's (operators).
/// </summary>
[Collection(PortalCollection.Name)]
public class AuditExportEndpointTests(PortalAppFactory portal)
{
    private async Task<HttpClient> SignedInAsync(string email, string? password = null)
    {
        var client = portal.CreateBrowserLikeClient();
        var login = await AccountClient.LogInAsync(client, email, password ?? PortalAppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }

    [Fact]
    public async Task TenantExport_StreamsTheLog_ForAnAdmin()
    {
        using var client = await SignedInAsync("admin@acme.test");

        var response = await client.GetAsync("/t/acme/settings/audit-log/export?format=csv&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("acme-audit-2000-01-01-2100-01-01.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var records = AuditExportServiceTests.CsvRecords(await response.Content.ReadAsStringAsync());
        Assert.Equal(AuditCsvWriter.Header, string.Join(',', records[0]));
        Assert.DoesNotContain(records, r => r.Any(c => c.Contains("initech", StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData("viewer@acme.test")]
    [InlineData("member@acme.test")]
    public async Task TenantExport_IsForbidden_BelowAdmin(string email)
    {
        using var client = await SignedInAsync(email);

        var response = await client.GetAsync("/t/acme/settings/audit-log/export?format=csv");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotEqual("text/csv", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TenantExport_IsNotFound_ForAnotherTenantsOwner()
    {
        using var client = await SignedInAsync("owner@initech.test");

        var response = await client.GetAsync("/t/acme/settings/audit-log/export?format=json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TenantExport_IsRefused_WhenThePlanLeavesItOut()
    {
        using var client = await SignedInAsync("owner@initech.test");

        var response = await client.GetAsync("/t/initech/settings/audit-log/export?format=csv");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "feature_not_included", "feature");
    }

    [Fact]
    public async Task TenantExport_WithAnUnknownFormat_NamesIt()
    {
        using var client = await SignedInAsync("owner@acme.test");

        var response = await client.GetAsync("/t/acme/settings/audit-log/export?format=xlsx");

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "invalid", "format");
    }

    [Fact]
    public async Task TenantExport_IsUnauthorized_ForAnonymousVisitors()
    {
        using var client = portal.CreateBrowserLikeClient();

        var response = await client.GetAsync("/t/acme/settings/audit-log/export?format=csv");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual("text/csv", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task FleetExport_StreamsEveryTenantsEntries_ForTheOperator()
    {
        using var client = await SignedInAsync(PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword);

        var response = await client.GetAsync("/ops/audit/export?format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("fleet-audit-start-", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var records = AuditExportServiceTests.CsvRecords(await response.Content.ReadAsStringAsync());
        Assert.Equal(AuditCsvWriter.FleetHeader, string.Join(',', records[0]));
        Assert.Contains(records, r => r[0] == "acme");
        Assert.Contains(records, r => r[0] == "initech");
    }

    [Fact]
    public async Task FleetExport_IsRefused_ToATenantOwner()
    {
        using var client = await SignedInAsync("owner@acme.test");

        var response = await client.GetAsync("/ops/audit/export?format=csv");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotEqual("text/csv", response.Content.Headers.ContentType?.MediaType);
    }
}
