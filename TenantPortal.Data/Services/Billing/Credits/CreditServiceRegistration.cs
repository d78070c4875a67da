using Microsoft.Extensions.DependencyInjection;

namespace TenantPortal.Data.Services.Billing.Credits;

/// <summary>Registers the prepaid-credit services (called by the data layer's own registration).</summary>
public static class CreditServiceRegistration
{
    /// <summary>Adds <see cref="CreditService"/>, <see cref="OperatorCreditService"/> and <see cref="CreditAlertService"/>.</summary>
    public static IServiceCollection AddCreditServices(this IServiceCollection services)
    {
        services.AddScoped<CreditAlertService>();
        services.AddScoped<CreditService>();
        services.AddScoped<OperatorCreditService>();
        return services;
    }
}
