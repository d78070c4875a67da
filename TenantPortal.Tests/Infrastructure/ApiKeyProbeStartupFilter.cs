using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Core.Tenants;
using TenantPortal.Web.Security;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// Adds one test-only endpoint behind the API-key policy, <c>/_test/api-key</c>, that echoes the tenant the request
/// runs for: the API-key scheme is tested on a real request before the API of a later issue has routes.
/// </summary>
public sealed class ApiKeyProbeStartupFilter : IStartupFilter
{
    public const string Path = "/_test/api-key";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseEndpoints(endpoints => endpoints
            .MapGet(Path, (ClaimsPrincipal user, ITenantContext tenant) => Results.Ok(new
            {
                tenantId = tenant.TenantId,
                claimTenant = user.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim),
                scopes = user.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(c => c.Value).ToArray(),
            }))
            .RequireAuthorization(PortalPolicies.ApiKey));
    };
}
