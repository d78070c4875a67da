using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace TenantPortal.Web.Security.Sso;

/// <summary>Registers the one OpenID Connect scheme of tenants' single sign-on, its per-request options and the sign-in step.</summary>
public static class TenantSsoExtensions
{
    /// <summary>
    /// Adds <see cref="TenantSso.Scheme"/> (its handler takes each request's tenant options, never one scheme per tenant),
    /// the options cache, and <see cref="SsoSignIn"/>.
    /// </summary>
    public static IServiceCollection AddTenantSso(this IServiceCollection services)
    {
        services.AddAuthentication().AddRemoteScheme<OpenIdConnectOptions, TenantSsoHandler>(TenantSso.Scheme, displayName: null, _ => { });
        services.AddSingleton<TenantSsoOptionsCache>();
        services.AddScoped<TenantSsoRequest>();
        services.AddScoped<TenantSsoOptionsMonitor>();
        services.AddScoped<SsoSignIn>();
        return services;
    }

    /// <summary>Resolves the connection a request names; call before <c>UseAuthentication</c>.</summary>
    public static IApplicationBuilder UseTenantSso(this IApplicationBuilder app) => app.UseMiddleware<TenantSsoMiddleware>();
}
