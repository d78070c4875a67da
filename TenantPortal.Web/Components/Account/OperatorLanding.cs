using Microsoft.AspNetCore.Identity;
using TenantPortal.Core.Authorization;
using TenantPortal.Data.Identity;

namespace TenantPortal.Web.Components.Account;

/// <summary>Where a user goes after signing in: the page they asked for, or, for an operator who asked for none, <c>/ops</c>.</summary>
public static class OperatorLanding
{
    /// <summary>The address to go to after <paramref name="user"/> signed in.</summary>
    public static async Task<string?> ReturnUrlAsync(UserManager<PortalUser> users, PortalUser? user, string? returnUrl)
    {
        if (!string.IsNullOrEmpty(returnUrl) && returnUrl != "/")
            return returnUrl;
        return user is not null && await users.IsInRoleAsync(user, PortalRoles.Operator) ? "ops" : returnUrl;
    }
}
