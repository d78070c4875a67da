using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Common;
using TenantPortal.Core.Domains;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Sso;
using TenantPortal.Tests.Infrastructure;
using TenantPortal.Web.Security.Sso;

namespace TenantPortal.Tests.Web.Sso;

/// <summary>Arranges single sign-on on the shared portal: a team, a verified domain, a connection registered at a test provider.</summary>
public static class SsoTestBed
{
    /// <summary>A team whose connection sends <see cref="Domain"/> to the provider.</summary>
    public sealed record SsoTeam(Teams.Team Team, string Domain, Guid ConnectionId, string ClientId);

    /// <summary>A fresh domain name for one test.</summary>
    public static string NewDomain() => $"d{Guid.NewGuid():N}"[..13] + ".sso.test";

    /// <summary>A new team on <paramref name="tier"/> holding a verified domain; with <paramref name="provider"/>, SSO set up there.</summary>
    public static async Task<SsoTeam> CreateAsync(PortalAppFactory portal, TestOidcProvider? provider, SubscriptionTier tier = SubscriptionTier.Professional,
        bool requireSso = false, TenantRole defaultRole = TenantRole.Member, Uri? issuer = null, string? domain = null)
    {
        var team = await Teams.CreateAsync(portal, tier);
        domain ??= NewDomain();
        await VerifyDomainAsync(portal, team.Slug, domain);
        if (provider is null)
            return new SsoTeam(team, domain, Guid.Empty, "");
        var clientId = $"portal-{Guid.NewGuid():N}";
        var secret = $"secret-{Guid.NewGuid():N}";
        var settings = await ConfigureAsync(portal, team.Slug, team.Admin, new SsoSettingsInput(
            (issuer ?? provider.Issuer).ToString(), clientId, secret, [domain], defaultRole, requireSso));
        Assert.True(settings.IsSuccess, settings.IsSuccess ? "" : settings.Error.Message);
        var connectionId = settings.Value.ConnectionId!.Value;
        provider.Register(clientId, secret, new Uri(portal.ServerAddress, TenantSso.CallbackPath(connectionId)));
        return new SsoTeam(team, domain, connectionId, clientId);
    }

    /// <summary>Claims and verifies <paramref name="domain"/> for the tenant (as the DNS check would).</summary>
    public static async Task VerifyDomainAsync(PortalAppFactory portal, string slug, string domain)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        using var cross = scope.ServiceProvider.GetRequiredService<ITenantContext>().BeginCrossTenantScope("test arrangement");
        var tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        var claimed = TenantDomain.Claim(tenantId, domain, Guid.NewGuid().ToString("N"), now);
        claimed.MarkVerified(now);
        db.TenantDomains.Add(claimed);
        await db.SaveChangesAsync();
    }

    /// <summary>Calls <see cref="SsoConnectionService.ConfigureAsync"/> as <paramref name="user"/> inside the tenant.</summary>
    public static Task<Result<SsoSettings>> ConfigureAsync(PortalAppFactory portal, string slug, Teams.TeamUser user, SsoSettingsInput input) =>
        AsAsync(portal, slug, user, (sso, actor) => sso.ConfigureAsync(actor, input, CancellationToken.None));

    /// <summary>Runs <paramref name="call"/> with the SSO service of a scope entered into the tenant as <paramref name="user"/>.</summary>
    public static async Task<T> AsAsync<T>(PortalAppFactory portal, string slug, Teams.TeamUser user, Func<SsoConnectionService, Actor, Task<T>> call)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var entered = await scope.ServiceProvider.GetRequiredService<TenantAccessService>().EnterAsync(slug, user.Id, false, CancellationToken.None);
        Assert.True(entered.IsSuccess);
        return await call(scope.ServiceProvider.GetRequiredService<SsoConnectionService>(), new Actor(user.Id, user.Email));
    }

    /// <summary>The redirects a browser follows from a response, until a page (or <paramref name="limit"/> hops).</summary>
    public static async Task<(HttpResponseMessage Final, List<Uri> Visited)> FollowAsync(HttpClient client, HttpResponseMessage response, int limit = 12)
    {
        var visited = new List<Uri>();
        while (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect
               && visited.Count < limit)
        {
            var location = response.Headers.Location!;
            var next = location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
            visited.Add(next);
            response.Dispose();
            response = await client.GetAsync(next);
        }
        return (response, visited);
    }

    /// <summary>Email first: the log-in form posted with the email and no password, then every redirect followed.</summary>
    public static async Task<(HttpResponseMessage Final, List<Uri> Visited)> SignInAsync(HttpClient client, string email, string returnUrl = "/")
    {
        var posted = await AccountClient.LogInAsync(client, email, "", returnUrl);
        return await FollowAsync(client, posted);
    }

    /// <summary>The last address of a flow as a path and query relative to the portal.</summary>
    public static string Landing(List<Uri> visited) => visited.Count == 0 ? "" : visited[^1].PathAndQuery;
}
