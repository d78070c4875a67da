using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Endpoints;

namespace TenantPortal.Tests.Web.Security;

/// <summary>Every endpoint that changes state over the portal's cookie validates an antiforgery token.</summary>
[Collection(PortalCollection.Name)]
public class AntiforgeryCoverageTests(PortalAppFactory portal)
{
    /// <summary>
    /// Routes that accept unsafe methods without antiforgery, and why that is safe. Matched by route pattern prefix.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Exempt = new Dictionary<string, string>
    {
        ["/api/v1/stripe/webhook"] = "Stripe's deliveries: no cookie, authenticated by the Stripe-Signature header (verified before anything is read).",
        ["/api/v1/"] = "The tenant API: Bearer API keys only (the policy's only scheme), never cookies, so a cross-site page has no credential to ride on.",
        ["/scim/v2/"] = "SCIM provisioning: Bearer SCIM tokens only (its policy's only scheme), never cookies, so a cross-site page has no credential to ride on.",
        ["/_blazor"] = "The circuit's SignalR hub: a circuit only starts from the component descriptors the server rendered into the page (data-protected), and the Lax session cookie is not sent on a cross-site POST.",
        ["/hangfire"] = "The Hangfire dashboard: operator-only, and its POST commands are refused without an antiforgery token (IgnoreAntiforgeryToken is false; a test posts without one).",
        ["/health/"] = "Health checks: read-only whatever the method.",
        ["/metrics"] = "Prometheus metrics: read-only whatever the method (loopback, operators or the scrape token).",
    };

    [Fact]
    public void EveryUnsafeEndpoint_ValidatesAntiforgery_OrIsAJustifiedException()
    {
        var endpoints = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/Account/Logout");

        var unprotected = endpoints
            .Where(AcceptsUnsafeMethod)
            .Where(e => e.Metadata.GetMetadata<IAntiforgeryMetadata>() is not { RequiresValidation: true })
            .Select(e => Route(e))
            .Where(route => !Exempt.Keys.Any(prefix => route.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            .Distinct()
            .ToList();

        Assert.True(unprotected.Count == 0, "Endpoints that change state without antiforgery:\n" + string.Join('\n', unprotected));
    }

    [Fact]
    public void TheWebhookAndTheApi_AreExemptOnlyFromAntiforgery()
    {
        var endpoints = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var webhook = endpoints.Single(e => Route(e) == StripeWebhookEndpoints.Route);
        var usage = endpoints.Single(e => Route(e) == "/api/v1/usage");

        Assert.Equal(false, webhook.Metadata.GetMetadata<IAntiforgeryMetadata>()?.RequiresValidation);
        Assert.Equal(false, usage.Metadata.GetMetadata<IAntiforgeryMetadata>()?.RequiresValidation);
        // The API still demands a key: its exemption is from antiforgery, not from authentication.
        Assert.NotEmpty(usage.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>());
    }

    [Fact]
    public async Task CookieAuthenticatedPost_WithoutAToken_IsRefused()
    {
        using var client = portal.CreateBrowserLikeClient();
        using var login = await AccountClient.LogInAsync(client, "owner@acme.test", PortalAppFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        using var logout = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" }));
        using var settings = await client.PostAsync("/Account/Manage", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "profile" }));

        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, settings.StatusCode);
        // Still signed in: the refused logout did nothing.
        using var home = await client.GetAsync("/Account/Manage");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task PersonalDataDownload_NeedsTheFormsToken()
    {
        using var client = portal.CreateBrowserLikeClient();
        using var login = await AccountClient.LogInAsync(client, "member@acme.test", PortalAppFactory.DemoPassword);
        var page = await client.GetStringAsync("/Account/Manage/PersonalData");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
        Assert.True(token.Success);

        using var forged = await client.PostAsync("/Account/Manage/DownloadPersonalData", new FormUrlEncodedContent(new Dictionary<string, string>()));
        using var genuine = await client.PostAsync("/Account/Manage/DownloadPersonalData", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Contains("member@acme.test", await genuine.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HangfireCommand_WithoutAToken_IsRefused_EvenForAnOperator()
    {
        using var client = portal.CreateBrowserLikeClient();
        using var login = await AccountClient.LogInAsync(client, PortalAppFactory.OperatorEmail, PortalAppFactory.OperatorPassword, "/ops");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var dashboard = await client.GetAsync("/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);

        using var trigger = await client.PostAsync("/hangfire/recurring/trigger", new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = "no-such-job" }));

        // Refused for the missing token: by Hangfire's own check (403) or by ASP.NET's antiforgery (400, saying so).
        var body = await trigger.Content.ReadAsStringAsync();
        Assert.True(trigger.StatusCode == HttpStatusCode.Forbidden
            || (trigger.StatusCode == HttpStatusCode.BadRequest && body.Contains("antiforgery token", StringComparison.OrdinalIgnoreCase)),
            $"{(int)trigger.StatusCode}: {body}");
    }

    private static bool AcceptsUnsafeMethod(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods
        || methods.HttpMethods.Any(m => !HttpMethods.IsGet(m) && !HttpMethods.IsHead(m) && !HttpMethods.IsOptions(m) && !HttpMethods.IsTrace(m));

    private static string Route(RouteEndpoint endpoint) => "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
}
