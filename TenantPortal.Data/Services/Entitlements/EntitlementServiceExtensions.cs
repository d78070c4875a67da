using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TenantPortal.Data.Interceptors;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Services.Entitlements;

/// <summary>Registers entitlements: the plans' features from configuration (checked now), the cache and the services.</summary>
public static class EntitlementServiceExtensions
{
    /// <summary>
    /// Adds <see cref="PlanEntitlements"/> read from <paramref name="configuration"/> (a bad <c>Plans:{Tier}:Features:{name}</c>
    /// throws <see cref="InvalidSettingException"/> naming it), <see cref="EntitlementCache"/> (entries bounded by
    /// <see cref="EntitlementCache.UnsharedMaxAge"/> when <paramref name="quotaCache"/> is None, where no channel tells this
    /// instance of the others' changes, with <see cref="EntitlementCacheInvalidationInterceptor"/> for this instance's own),
    /// <see cref="EntitlementService"/> and <see cref="EntitlementOverrideService"/>.
    /// </summary>
    public static IServiceCollection AddEntitlements(this IServiceCollection services, IConfiguration configuration, QuotaCacheMode quotaCache)
    {
        services.TryAddSingleton(PlanFeatureOptions.Read(configuration));
        services.TryAddSingleton(sp => new EntitlementCache(sp.GetService<TimeProvider>() ?? TimeProvider.System,
            quotaCache == QuotaCacheMode.None ? EntitlementCache.UnsharedMaxAge : null));
        if (quotaCache == QuotaCacheMode.None)
            services.TryAddSingleton<EntitlementCacheInvalidationInterceptor>();
        services.TryAddScoped<EntitlementService>();
        services.TryAddScoped<EntitlementOverrideService>();
        return services;
    }
}
