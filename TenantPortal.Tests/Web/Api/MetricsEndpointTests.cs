using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Authorization;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Observability;
using TenantPortal.Web.Options;

namespace TenantPortal.Tests.Web.Api;

[Collection(PortalCollection.Name)]
public partial class MetricsEndpointTests(PortalAppFactory portal)
{
    private async Task<string> ScrapeAsync()
    {
        using var client = portal.CreateBrowserLikeClient();
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static double Value(string text, string series)
    {
        var match = Regex.Match(text, "^" + Regex.Escape(series) + @" ([0-9.eE+-]+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    [Fact]
    public async Task Metrics_CountIngestedEventsAndQuotaDenials()
    {
        var before = await ScrapeAsync();
        using var acme = ApiKeys.ClientFor(portal, PortalAppFactory.DemoApiKey);
        var id = $"metrics-{Guid.NewGuid():N}";
        var events = $"{{\"events\":[{{\"id\":\"{id}\",\"metric\":\"gpu_hours\",\"quantity\":1,\"timestamp\":\"{DateTimeOffset.UtcNow.AddMinutes(-1):O}\"}},{{\"id\":\"{id}\",\"metric\":\"gpu_hours\",\"quantity\":1,\"timestamp\":\"{DateTimeOffset.UtcNow.AddMinutes(-1):O}\"}}]}}";
        Assert.Equal(HttpStatusCode.Accepted, (await acme.PostAsync("/api/v1/usage", new StringContent(events, Encoding.UTF8, "application/json"))).StatusCode);
        using var initech = ApiKeys.ClientFor(portal, await ApiKeys.CreateAsync(portal, "initech"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await initech.PostAsync("/api/v1/quota/check", new StringContent("{\"metric\":\"api_calls\",\"amount\":100000}", Encoding.UTF8, "application/json"))).StatusCode);

        var after = await ScrapeAsync();

        Assert.Equal(1, Value(after, "tenantportal_usage_events_ingested_total") - Value(before, "tenantportal_usage_events_ingested_total"));
        Assert.Equal(1, Value(after, "tenantportal_usage_events_duplicate_total") - Value(before, "tenantportal_usage_events_duplicate_total"));
        Assert.Equal(1, Value(after, "tenantportal_quota_denials_total{metric=\"api_calls\",reason=\"quota_exceeded\"}")
            - Value(before, "tenantportal_quota_denials_total{metric=\"api_calls\",reason=\"quota_exceeded\"}"));
        Assert.Contains("# TYPE tenantportal_rate_limited_requests_total counter", after);
    }

    [Fact]
    public void Metrics_AreRefused_ToARemoteCallerWithoutTheToken_AndServedWithIt()
    {
        var options = Options.Create(new MetricsOptions { ScrapeToken = "scrape-secret" });
        HttpContext Remote(string? authorization, bool op = false)
        {
            var services = new ServiceCollection().AddSingleton(options).BuildServiceProvider();
            var context = new DefaultHttpContext { RequestServices = services };
            context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
            if (authorization is not null)
                context.Request.Headers.Authorization = authorization;
            if (op)
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, PortalRoles.Operator)], "cookie"));
            return context;
        }

        Assert.False(MetricsEndpoint.IsAllowed(Remote(null)));
        Assert.False(MetricsEndpoint.IsAllowed(Remote("Bearer wrong")));
        Assert.True(MetricsEndpoint.IsAllowed(Remote("Bearer scrape-secret")));
        Assert.True(MetricsEndpoint.IsAllowed(Remote(null, op: true)));
    }
}
