using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authorization;

namespace TenantPortal.Web.Security;

/// <summary>
/// The Hangfire dashboard's own gate, behind the endpoint's policy: the request's user must satisfy
/// <see cref="PortalPolicies.Operator"/>. Anonymous visitors and tenant users are refused.
/// </summary>
public sealed class OperatorDashboardAuthorizationFilter : IDashboardAsyncAuthorizationFilter
{
    /// <inheritdoc />
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (http.User.Identity?.IsAuthenticated != true)
            return false;
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(http.User, PortalPolicies.Operator)).Succeeded;
    }
}
