using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Members;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Isolation;

/// <summary>
/// Every tenant page, requested over HTTP as anonymous, as each role of acme, and as the owner of another tenant:
/// login for anonymous, the page from its minimum role up, 403 below it, 404 for an outsider. Every page route and
/// every /api route must be listed here, so that a new one added without an entry fails the test.
/// </summary>
[Collection(PortalCollection.Name)]
public class RouteIsolationMatrixTests(PortalAppFactory portal)
{
    /// <summary>Tenant pages and the minimum role that sees them.</summary>
    private static readonly Dictionary<string, TenantRole> TenantPages = new()
    {
        ["/t/{Slug}"] = TenantRole.Viewer,
        ["/t/{Slug}/usage"] = TenantRole.Viewer,
        ["/t/{Slug}/users"] = TenantRole.Member,
        ["/t/{Slug}/billing"] = TenantRole.Admin,
        ["/t/{Slug}/settings"] = TenantRole.Viewer,
        ["/t/{Slug}/billing/invoices/{Number}"] = TenantRole.Admin,
    };

    /// <summary>Pages outside a tenant, and who may open them.</summary>
    private static readonly Dictionary<string, Access> OtherPages = new()
    {
        ["/"] = Access.Public,
        ["/not-found"] = Access.Public,
        ["/Error"] = Access.Public,
        ["/invitations/accept"] = Access.Public,
        ["/tenants/new"] = Access.SignedIn,
        ["/ops"] = Access.Operator,
        ["/ops/invoices"] = Access.Operator,
        ["/ops/operators"] = Access.Operator,
        ["/ops/tenants/{Id:guid}"] = Access.Operator,
        ["/ops/tenants"] = Access.Operator,
        ["/ops/jobs"] = Access.Operator,
        ["/ops/audit"] = Access.Operator,
        ["/ops/billing/events"] = Access.Operator,
    };

    /// <summary>Routes under /api: method, the scope they need, and a body that a caller with the scope may send.</summary>
    private static readonly Dictionary<string, (string Method, string Scope, string? Body)> ApiRoutes = new()
    {
        ["/api/v1/usage"] = ("POST", "usage:write",
            "{\"events\":[{\"id\":\"matrix-" + Guid.NewGuid().ToString("N") + "\",\"metric\":\"api_calls\",\"quantity\":1,\"timestamp\":\"" + DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O") + "\"}]}"),
        ["/api/v1/quota/check"] = ("POST", "usage:read", "{\"metric\":\"gpu_hours\",\"amount\":1}"),
        ["/api/v1/usage/current"] = ("GET", "usage:read", null),
    };

    /// <summary>
    /// Routes under /api that are not key-authenticated: the caller proves itself by a signature over the body. Each
    /// refuses an unsigned request with 400, and an API key does not stand in for the signature.
    /// </summary>
    private static readonly Dictionary<string, (string Method, string Body)> SignatureRoutes = new()
    {
        ["/api/v1/stripe/webhook"] = ("POST", "{\"id\":\"evt_matrix\",\"object\":\"event\",\"type\":\"invoice.paid\",\"created\":1,\"data\":{\"object\":{}}}"),
    };

    public static TheoryData<string, string> SignatureCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in SignatureRoutes.Keys)
            foreach (var caller in new[] { "no key", "key with every scope", "signed-in owner" })
                data.Add(route, caller);
        return data;
    }

    [Theory]
    [MemberData(nameof(SignatureCases))]
    public async Task SignatureRoute_RefusesAnUnsignedRequest_WhateverElseTheCallerHolds(string route, string caller)
    {
        var (method, body) = SignatureRoutes[route];
        using var client = portal.CreateBrowserLikeClient();
        if (caller == "key with every scope")
            client.DefaultRequestHeaders.Authorization = new("Bearer", await ApiKeys.CreateAsync(portal, "acme", TenantPortal.Core.ApiKeys.ApiKeyScopes.All.ToArray()));
        else if (caller == "signed-in owner")
            await AccountClient.LogInAsync(client, "owner@acme.test", PortalAppFactory.DemoPassword);

        using var request = new HttpRequestMessage(new HttpMethod(method), route)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string> ApiCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in ApiRoutes.Keys)
            foreach (var caller in new[] { "no key", "revoked-looking key", "signed-in user without key", "key without the scope", "key with the scope" })
                data.Add(route, caller);
        return data;
    }

    [Theory]
    [MemberData(nameof(ApiCases))]
    public async Task ApiRoute_AnswersOnlyAKeyWithItsScope(string route, string caller)
    {
        var (method, scope, body) = ApiRoutes[route];
        using var client = portal.CreateBrowserLikeClient();
        switch (caller)
        {
            case "revoked-looking key":
                client.DefaultRequestHeaders.Authorization = new("Bearer", "tp_live_0000000000000000000000000000000000");
                break;
            case "signed-in user without key":
                await AccountClient.LogInAsync(client, "owner@acme.test", PortalAppFactory.DemoPassword);
                break;
            case "key without the scope":
                client.DefaultRequestHeaders.Authorization = new("Bearer", await ApiKeys.CreateAsync(portal, "acme",
                    TenantPortal.Core.ApiKeys.ApiKeyScopes.All.Where(s => s != scope).ToArray()));
                break;
            case "key with the scope":
                client.DefaultRequestHeaders.Authorization = new("Bearer", await ApiKeys.CreateAsync(portal, "acme", scope));
                break;
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), route);
        if (body is not null)
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request);

        var expected = caller switch
        {
            "key without the scope" => HttpStatusCode.Forbidden,
            "key with the scope" => (HttpStatusCode?)null,
            _ => HttpStatusCode.Unauthorized,
        };
        if (expected is null)
            Assert.True(response.IsSuccessStatusCode, $"{caller}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        else
            Assert.Equal(expected, response.StatusCode);
    }

    public enum Access { Public, SignedIn, Operator }

    private static readonly (string Caller, string Email)[] TenantCallers =
    [
        ("owner", "owner@acme.test"), ("admin", "admin@acme.test"), ("member", "member@acme.test"), ("viewer", "viewer@acme.test"),
        ("other-tenant", "owner@initech.test"),
    ];

    public static TheoryData<string, string> TenantPageCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in TenantPages.Keys)
        {
            data.Add(route, "anonymous");
            foreach (var (caller, _) in TenantCallers)
                data.Add(route, caller);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TenantPageCases))]
    public async Task TenantPage_AnswersEachCaller_AsTheRoleTableSays(string route, string caller)
    {
        using var client = portal.CreateBrowserLikeClient();
        if (caller != "anonymous")
            await AccountClient.LogInAsync(client, TenantCallers.Single(c => c.Caller == caller).Email, PortalAppFactory.DemoPassword);

        var response = await client.GetAsync(route.Replace("{Slug}", "acme").Replace("{Number}", await AcmeInvoiceNumberAsync()));
        var body = await response.Content.ReadAsStringAsync();

        TenantRole? role = caller switch
        {
            "owner" => TenantRole.Owner, "admin" => TenantRole.Admin, "member" => TenantRole.Member, "viewer" => TenantRole.Viewer, _ => null,
        };
        if (caller == "anonymous")
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/Login", response.Headers.Location!.ToString());
        }
        else if (role is null)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("page-not-found", body);
            Assert.DoesNotContain("Acme Corporation", body);
        }
        else if (role >= TenantPages[route])
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("id=\"tenant-name\"", body);
            Assert.DoesNotContain("tab-not-allowed", body);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("tab-not-allowed", body);
        }
    }

    // A real invoice of acme, for the pages of one invoice: an unknown number would be a 404 for everyone.
    private async Task<string> AcmeInvoiceNumberAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantPortal.Data.PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<TenantPortal.Core.Tenants.ITenantContext>().BeginCrossTenantScope("test arrangement");
        return await db.Invoices.Where(i => db.Tenants.Any(t => t.Id == i.TenantId && t.Slug == "acme")).Select(i => i.Number).FirstAsync();
    }

    // Parameterised routes are requested for a real row: an unknown id would not reach the page's authorization.
    private async Task<string> ConcreteAsync(string route) =>
        route.Contains("{Id:guid}", StringComparison.Ordinal) ? route.Replace("{Id:guid}", (await AcmeIdAsync()).ToString()) : route;

    private async Task<Guid> AcmeIdAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantPortal.Data.PortalDbContext>();
        return await db.Tenants.Where(t => t.Slug == "acme").Select(t => t.Id).SingleAsync();
    }

    [Theory]
    [InlineData("/ops", "owner@acme.test", false)]
    [InlineData("/ops/tenants/{Id:guid}", "owner@acme.test", false)]
    [InlineData("/tenants/new", "viewer@acme.test", true)]
    public async Task OtherPage_AnswersASignedInTenantUser(string route, string email, bool allowed)
    {
        using var client = portal.CreateBrowserLikeClient();
        await AccountClient.LogInAsync(client, email, PortalAppFactory.DemoPassword);

        var response = await client.GetAsync(await ConcreteAsync(route));

        if (allowed)
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        else
            Assert.Contains("/Account/AccessDenied", response.Headers.Location?.ToString() ?? "");
    }

    [Fact]
    public async Task OtherPages_AnswerAnonymousVisitors_AsListed()
    {
        using var client = portal.CreateBrowserLikeClient();
        foreach (var (route, access) in OtherPages)
        {
            var response = await client.GetAsync(await ConcreteAsync(route));
            if (access == Access.Public)
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{route}: {(int)response.StatusCode}");
            else
                Assert.Contains("/Account/Login", response.Headers.Location?.ToString() ?? $"{route}: no redirect");
        }
    }

    [Fact]
    public void EveryPageRoute_IsListed()
    {
        var routes = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && t.Namespace?.Contains(".Account", StringComparison.Ordinal) != true)
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))
            .ToHashSet();

        var listed = TenantPages.Keys.Concat(OtherPages.Keys).ToHashSet();
        Assert.True(routes.SetEquals(listed), $"Not listed: {string.Join(", ", routes.Except(listed))}; listed but gone: {string.Join(", ", listed.Except(routes))}");
    }

    [Fact]
    public void EveryApiRoute_IsListed()
    {
        var routes = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText?.TrimStart('/'))
            .Where(r => r.StartsWith("/api/", StringComparison.Ordinal))
            .ToHashSet();

        var listed = ApiRoutes.Keys.Concat(SignatureRoutes.Keys).ToHashSet();
        Assert.True(routes.SetEquals(listed), $"API routes not in the isolation matrix: {string.Join(", ", routes.Except(listed))}; listed but gone: {string.Join(", ", listed.Except(routes))}");
    }
}
