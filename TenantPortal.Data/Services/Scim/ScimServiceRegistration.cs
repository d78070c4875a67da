using Microsoft.Extensions.DependencyInjection;

namespace TenantPortal.Data.Services.Scim;

/// <summary>Registers SCIM provisioning: tokens, users, groups and the group-to-role mapping.</summary>
public static class ScimServiceRegistration
{
    /// <summary>Adds the SCIM services (scoped, like the other tenant services).</summary>
    public static IServiceCollection AddScimServices(this IServiceCollection services)
    {
        services.AddScoped<ScimTokenService>();
        services.AddScoped<ScimUserService>();
        services.AddScoped<ScimGroupService>();
        services.AddScoped<ScimRoleMappingService>();
        return services;
    }
}
