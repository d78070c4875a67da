using Microsoft.Extensions.DependencyInjection;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Services.Domains;

/// <summary>Registers verified domains: the services, the DNS verifier and its options (checked at start-up).</summary>
public static class DomainServiceRegistration
{
    /// <summary>Adds the domain services; the web layer adds its <see cref="IDomainRoutingObserver"/>.</summary>
    public static IServiceCollection AddDomainServices(this IServiceCollection services)
    {
        services.AddOptions<DomainVerificationOptions>().BindConfiguration(DomainVerificationOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DomainVerifier>();
        services.AddScoped<DomainLossNotifier>();
        services.AddScoped<DomainCheckRecorder>();
        services.AddScoped<DomainService>();
        services.AddScoped<DomainCheckService>();
        services.AddScoped<DomainAffiliationService>();
        return services;
    }
}
