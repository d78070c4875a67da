using Microsoft.AspNetCore.Authentication;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>Registers the SCIM token scheme and the policy the <c>/scim/v2</c> group requires.</summary>
public static class ScimAuthentication
{
    /// <summary>Adds <see cref="ScimAuthenticationHandler"/> and its policy.</summary>
    public static IServiceCollection AddScimAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ScimAuthenticationHandler>(ScimAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(ScimAuthenticationHandler.PolicyName,
            p => p.AddAuthenticationSchemes(ScimAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        return services;
    }
}
