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
        // Requested as /t/acme/settings/api-keys: the sections for admins.
        ["/t/{Slug}/settings/{Section}"] = TenantRole.Admin,
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

    /// <summary>
    /// Routes under /api, as "METHOD /pattern": the scope they need ("" = any key) and how to arrange a request a key of
    /// the target tenant with that scope may make (a throwaway tenant for changes, so the demo data stays as it is).
    /// </summary>
    private static readonly Dictionary<string, ApiRoute> ApiRoutes = new()
    {
        ["POST /api/v1/usage"] = new("usage:write", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/usage",
            "{\"events\":[{\"id\":\"matrix-" + Guid.NewGuid().ToString("N") + "\",\"metric\":\"api_calls\",\"quantity\":1,\"timestamp\":\"" + DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O") + "\"}]}"))),
        ["POST /api/v1/quota/check"] = new("usage:read", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/quota/check", "{\"metric\":\"gpu_hours\",\"amount\":1}"))),
        ["GET /api/v1/usage/current"] = new("usage:read", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/usage/current"))),
        ["GET /api/v1/tenant"] = new("", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/tenant"))),
        ["PATCH /api/v1/tenant"] = new("tenant:write", async p => new ApiTarget(
            await ApiKeys.CreateTenantAsync(p, TenantPortal.Core.Tenants.SubscriptionTier.Starter, TenantPortal.Core.Tenants.TenantStatus.Active),
            "/api/v1/tenant", "{\"name\":\"Matrix renamed\"}")),
        ["GET /api/v1/entitlements"] = new("", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/entitlements"))),
        ["GET /api/v1/entitlements/{feature}"] = new("", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/entitlements/max_api_keys"))),
        ["GET /api/v1/audit"] = new("audit:read", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/audit?limit=5"))),
        ["GET /api/v1/usage/history"] = new("usage:read", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/usage/history?granularity=day"))),
        ["GET /api/v1/invoices"] = new("billing:read", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/invoices"))),
        ["GET /api/v1/invoices/{number}"] = new("billing:read", async p => new ApiTarget("acme", $"/api/v1/invoices/{await AcmeInvoiceNumberAsync(p)}", NamesTenantRows: true)),
        ["GET /api/v1/credit-notes"] = new("billing:read", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/credit-notes"))),
        ["GET /api/v1/credit-notes/{number}"] = new("billing:read", async p => new ApiTarget("acme", $"/api/v1/credit-notes/{await AcmeCreditNoteNumberAsync(p)}", NamesTenantRows: true)),
        ["GET /api/v1/invoices/{number}/usage.csv"] = new("billing:read", async p =>
            new ApiTarget("acme", $"/api/v1/invoices/{await AcmeInvoiceNumberAsync(p)}/usage.csv", NamesTenantRows: true)),
        ["GET /api/v1/credits"] = new("billing:read", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/credits"))),
        ["GET /api/v1/subscription"] = new("billing:read", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/subscription"))),
        ["POST /api/v1/subscription"] = new("billing:write", async p => new ApiTarget(
            await ApiKeys.CreateTenantAsync(p, TenantPortal.Core.Tenants.SubscriptionTier.Starter, TenantPortal.Core.Tenants.TenantStatus.Active),
            "/api/v1/subscription", "{\"tier\":\"Professional\",\"cycle\":\"Monthly\"}")),
        // Another tenant's key acts on its own tenant, which has no subscription to cancel or reactivate.
        ["POST /api/v1/subscription/cancel"] = new("billing:write", async p => new ApiTarget(
            await SubscribedTenantAsync(p), "/api/v1/subscription/cancel", "{\"atPeriodEnd\":true}", OtherTenantStatus: HttpStatusCode.Conflict)),
        ["POST /api/v1/subscription/reactivate"] = new("billing:write", async p => new ApiTarget(
            await SubscribedTenantAsync(p, "/api/v1/subscription/cancel", "{\"atPeriodEnd\":true}"), "/api/v1/subscription/reactivate",
            OtherTenantStatus: HttpStatusCode.Conflict)),
        ["GET /api/v1/members"] = new("members:read", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/members"))),
        ["GET /api/v1/budget"] = new("billing:read", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/budget"))),
        ["PUT /api/v1/budget"] = new("billing:write", async p => new ApiTarget(
            await ApiKeys.CreateTenantAsync(p, TenantPortal.Core.Tenants.SubscriptionTier.Starter, TenantPortal.Core.Tenants.TenantStatus.Active),
            "/api/v1/budget", "{\"amountCents\":5000,\"action\":\"block\"}")),
        ["DELETE /api/v1/budget"] = new("billing:write", async p => new ApiTarget(
            await ApiKeys.CreateTenantAsync(p, TenantPortal.Core.Tenants.SubscriptionTier.Starter, TenantPortal.Core.Tenants.TenantStatus.Active), "/api/v1/budget")),
        ["PATCH /api/v1/members/{userId}"] = new("members:write", p => TeamMemberAsync(p, "{\"role\":\"Viewer\"}")),
        ["DELETE /api/v1/members/{userId}"] = new("members:write", p => TeamMemberAsync(p, null)),
        ["GET /api/v1/invitations"] = new("members:read", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/invitations"))),
        ["POST /api/v1/invitations"] = new("members:write", async p => new ApiTarget(
            await ApiKeys.CreateTenantAsync(p, TenantPortal.Core.Tenants.SubscriptionTier.Starter, TenantPortal.Core.Tenants.TenantStatus.Active),
            "/api/v1/invitations", "{\"email\":\"matrix-" + Guid.NewGuid().ToString("N") + "@example.test\",\"role\":\"Member\"}")),
        ["POST /api/v1/invitations/{id}/resend"] = new("members:write", p => PendingInvitationAsync(p, "/resend")),
        ["DELETE /api/v1/invitations/{id}"] = new("members:write", p => PendingInvitationAsync(p, "")),
        ["POST /api/v1/usage/corrections"] = new("usage:write", async p => new ApiTarget(
            await ApiKeys.CreateTenantAsync(p, TenantPortal.Core.Tenants.SubscriptionTier.Starter, TenantPortal.Core.Tenants.TenantStatus.Active),
            "/api/v1/usage/corrections", UsageCorrectionsApi.BackfillBody("matrix-" + Guid.NewGuid().ToString("N"), "late-" + Guid.NewGuid().ToString("N")))),
        ["GET /api/v1/webhook-endpoints"] = new("webhooks:read", async p => new ApiTarget((await WebhooksApi.TenantAsync(p)).Slug, "/api/v1/webhook-endpoints",
            OtherTenantStatus: HttpStatusCode.Forbidden)),
        ["POST /api/v1/webhook-endpoints"] = new("webhooks:write", async p => new ApiTarget((await WebhooksApi.TenantAsync(p)).Slug, "/api/v1/webhook-endpoints",
            "{\"url\":\"https://hooks.example.invalid/matrix\"}", OtherTenantStatus: HttpStatusCode.Forbidden)),
        ["GET /api/v1/webhook-endpoints/{id}"] = new("webhooks:read", async p => await WebhookEndpointAsync(p, "", null)),
        ["PATCH /api/v1/webhook-endpoints/{id}"] = new("webhooks:write", async p => await WebhookEndpointAsync(p, "", "{\"description\":\"matrix\"}")),
        ["DELETE /api/v1/webhook-endpoints/{id}"] = new("webhooks:write", async p => await WebhookEndpointAsync(p, "", null)),
        ["POST /api/v1/webhook-endpoints/{id}/rotate-secret"] = new("webhooks:write", async p => await WebhookEndpointAsync(p, "/rotate-secret", null)),
        ["GET /api/v1/webhook-deliveries"] = new("webhooks:read", async p => new ApiTarget((await WebhooksApi.TenantAsync(p)).Slug, "/api/v1/webhook-deliveries",
            OtherTenantStatus: HttpStatusCode.Forbidden)),
        ["GET /api/v1/webhook-deliveries/{id}"] = new("webhooks:read", async p => await WebhookDeliveryAsync(p, "")),
        ["POST /api/v1/webhook-deliveries/{id}/resend"] = new("webhooks:write", async p => await WebhookDeliveryAsync(p, "/resend")),
        ["GET /api/v1/usage/corrections"] = new("usage:read", _ => Task.FromResult(new ApiTarget("acme", "/api/v1/usage/corrections"))),
        ["GET /api/v1/usage/corrections/{id}"] = new("usage:read", async p =>
        {
            var (slug, id) = await UsageCorrectionsApi.CorrectedTenantAsync(p);
            return new ApiTarget(slug, $"/api/v1/usage/corrections/{id}", NamesTenantRows: true);
        }),
        ["DELETE /api/v1/usage/corrections/{id}"] = new("usage:write", async p =>
        {
            var (slug, id) = await UsageCorrectionsApi.CorrectedTenantAsync(p);
            return new ApiTarget(slug, $"/api/v1/usage/corrections/{id}", NamesTenantRows: true);
        }),
    };

    // A throwaway Starter tenant subscribed to Professional through the API (then sent the follow-up request, if any); its slug.
    private static async Task<string> SubscribedTenantAsync(PortalAppFactory portal, string? thenPath = null, string? thenBody = null)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, TenantPortal.Core.Tenants.SubscriptionTier.Starter, TenantPortal.Core.Tenants.TenantStatus.Active);
        using var client = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, slug, TenantPortal.Core.ApiKeys.ApiKeyScopes.BillingWrite));
        foreach (var (path, body) in new[] { ("/api/v1/subscription", "{\"tier\":\"Professional\",\"cycle\":\"Monthly\"}"), (thenPath, thenBody) })
        {
            if (path is null)
                continue;
            var response = await client.PostAsync(path, new StringContent(body!, System.Text.Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        return slug;
    }

    // The member of a throwaway team, for the routes that change or remove a member.
    private static async Task<ApiTarget> TeamMemberAsync(PortalAppFactory portal, string? body)
    {
        var team = await Teams.CreateAsync(portal);
        return new ApiTarget(team.Slug, $"/api/v1/members/{team.Member.Id}", body, NamesTenantRows: true);
    }

    // A webhook endpoint of a throwaway Professional tenant (webhooks in its plan).
    private static async Task<ApiTarget> WebhookEndpointAsync(PortalAppFactory portal, string suffix, string? body)
    {
        var (slug, endpointId, _) = await WebhooksApi.DeliveredAsync(portal);
        return new ApiTarget(slug, $"/api/v1/webhook-endpoints/{endpointId}{suffix}", body, NamesTenantRows: true);
    }

    // A delivery of a throwaway Professional tenant's endpoint.
    private static async Task<ApiTarget> WebhookDeliveryAsync(PortalAppFactory portal, string suffix)
    {
        var (slug, _, deliveryId) = await WebhooksApi.DeliveredAsync(portal);
        return new ApiTarget(slug, $"/api/v1/webhook-deliveries/{deliveryId}{suffix}", NamesTenantRows: true);
    }

    // A pending invitation of a throwaway tenant, for the routes that resend or revoke one.
    private static async Task<ApiTarget> PendingInvitationAsync(PortalAppFactory portal, string suffix)
    {
        var slug = await ApiKeys.CreateTenantAsync(portal, TenantPortal.Core.Tenants.SubscriptionTier.Starter, TenantPortal.Core.Tenants.TenantStatus.Active);
        var id = await Teams.InviteAsync(portal, slug, $"matrix-{Guid.NewGuid():N}@example.test");
        return new ApiTarget(slug, $"/api/v1/invitations/{id}{suffix}", NamesTenantRows: true);
    }

    /// <summary>An API route of the matrix: its scope ("" = any key) and how to arrange a request to it.</summary>
    private sealed record ApiRoute(string Scope, Func<PortalAppFactory, Task<ApiTarget>> Arrange);

    /// <summary>
    /// A concrete request: the tenant whose key may make it, the path, the body, and whether the path names rows of that
    /// tenant (then another tenant's key with every scope gets 404). A route that names no rows but needs state a fresh
    /// tenant lacks gives <c>OtherTenantStatus</c>: what another tenant's key gets, acting on its own tenant (otherwise success).
    /// </summary>
    private sealed record ApiTarget(string Slug, string Path, string? Body = null, bool NamesTenantRows = false, HttpStatusCode? OtherTenantStatus = null);

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
        foreach (var (route, entry) in ApiRoutes)
        {
            foreach (var caller in new[] { "no key", "revoked-looking key", "signed-in user without key", "key with the scope", "key of another tenant" })
                data.Add(route, caller);
            if (entry.Scope != "")
                data.Add(route, "key without the scope");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ApiCases))]
    public async Task ApiRoute_AnswersOnlyAKeyOfItsTenantWithItsScope(string route, string caller)
    {
        var entry = ApiRoutes[route];
        var method = route[..route.IndexOf(' ')];
        var target = await entry.Arrange(portal);
        using var client = portal.CreateBrowserLikeClient();
        var scopes = entry.Scope == "" ? [TenantPortal.Core.ApiKeys.ApiKeyScopes.UsageWrite] : new[] { entry.Scope };
        switch (caller)
        {
            case "revoked-looking key":
                client.DefaultRequestHeaders.Authorization = new("Bearer", "tp_live_0000000000000000000000000000000000");
                break;
            case "signed-in user without key":
                await AccountClient.LogInAsync(client, "owner@acme.test", PortalAppFactory.DemoPassword);
                break;
            case "key without the scope":
                client.DefaultRequestHeaders.Authorization = new("Bearer", await ApiKeys.CreateAsync(portal, target.Slug,
                    TenantPortal.Core.ApiKeys.ApiKeyScopes.All.Where(s => s != entry.Scope).ToArray()));
                break;
            case "key with the scope":
                client.DefaultRequestHeaders.Authorization = new("Bearer", await ApiKeys.CreateAsync(portal, target.Slug, scopes));
                break;
            case "key of another tenant":
                // A tenant of its own: a change made through the key stays there.
                var other = await ApiKeys.CreateTenantAsync(portal, TenantPortal.Core.Tenants.SubscriptionTier.Starter, TenantPortal.Core.Tenants.TenantStatus.Active);
                client.DefaultRequestHeaders.Authorization = new("Bearer", await ApiKeys.CreateAsync(portal, other, TenantPortal.Core.ApiKeys.ApiKeyScopes.All.ToArray()));
                break;
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), target.Path);
        if (target.Body is not null)
            request.Content = new StringContent(target.Body, System.Text.Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        HttpStatusCode? expected = caller switch
        {
            "key without the scope" => HttpStatusCode.Forbidden,
            "key with the scope" => null,
            "key of another tenant" => target.NamesTenantRows ? HttpStatusCode.NotFound : target.OtherTenantStatus,
            _ => HttpStatusCode.Unauthorized,
        };
        if (expected is null)
            Assert.True(response.IsSuccessStatusCode, $"{caller}: {(int)response.StatusCode} {body}");
        else
            Assert.True(expected == response.StatusCode, $"{caller}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
        if (caller == "key of another tenant")
            Assert.DoesNotContain(target.Slug, body);
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

        var response = await client.GetAsync(route.Replace("{Slug}", "acme").Replace("{Section}", "api-keys").Replace("{Number}", await AcmeInvoiceNumberAsync()));
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
    private Task<string> AcmeInvoiceNumberAsync() => AcmeInvoiceNumberAsync(portal);

    // Acme's credit note (one is made against its first invoice when the demo data has none).
    private static async Task<string> AcmeCreditNoteNumberAsync(PortalAppFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TenantPortal.Data.PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<TenantPortal.Core.Tenants.ITenantContext>().BeginCrossTenantScope("test arrangement");
        var invoice = await db.Invoices.Where(i => db.Tenants.Any(t => t.Id == i.TenantId && t.Slug == "acme")).OrderBy(i => i.PeriodStart).FirstAsync();
        var existing = await db.CreditNotes.Where(n => n.InvoiceId == invoice.Id).Select(n => n.Number).FirstOrDefaultAsync();
        if (existing is not null)
            return existing;
        var note = TenantPortal.Core.Billing.CreditNote.Create(invoice, 1, [new TenantPortal.Core.Billing.CreditNoteLine
        {
            Metric = TenantPortal.Core.Usage.UsageMetric.ApiCalls, UsagePeriodStart = invoice.PeriodStart, Description = "Matrix credit",
            Quantity = 10, UnitPriceCents = 0.1m, AmountCents = 1,
        }], "Route matrix", null, DateTimeOffset.UtcNow);
        db.CreditNotes.Add(note);
        await db.SaveChangesAsync();
        return note.Number;
    }

    private static async Task<string> AcmeInvoiceNumberAsync(PortalAppFactory portal)
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
            .Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} /{e.RoutePattern.RawText?.TrimStart('/')}"))
            .ToHashSet();

        var listed = ApiRoutes.Keys.Concat(SignatureRoutes.Select(r => $"{r.Value.Method} {r.Key}")).ToHashSet();
        Assert.True(routes.SetEquals(listed), $"API routes not in the isolation matrix: {string.Join(", ", routes.Except(listed))}; listed but gone: {string.Join(", ", listed.Except(routes))}");
    }
}
