using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TenantPortal.Data.Options;

namespace TenantPortal.Data.Services.Webhooks;

/// <summary>Registers webhooks to tenants: options (checked at start-up), the guarded HTTP client, and the services.</summary>
public static class WebhookServiceExtensions
{
    /// <summary>The start-up error when the test-only setting is on in Production.</summary>
    public const string PrivateAddressesInProduction =
        "Webhooks:AllowPrivateAddresses lets tenants' webhooks reach loopback and private addresses: it is for tests only and refused in Production.";

    /// <summary>
    /// Adds the <c>Webhooks</c> options, <see cref="WebhookHttp"/>, the system resolver (unless one is registered), the
    /// services and <see cref="WebhookOutboxInterceptor"/>. The composition root registers <see cref="IWebhookJobs"/>.
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IHostEnvironment environment)
    {
        var production = environment.IsProduction();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => !(production && o.AllowPrivateAddresses), PrivateAddressesInProduction)
            .ValidateOnStart();
        services.TryAddSingleton<IWebhookHostResolver, SystemWebhookHostResolver>();
        services.TryAddSingleton<WebhookHttp>();
        services.TryAddSingleton<WebhookSecrets>();
        services.TryAddSingleton<WebhookOutboxInterceptor>();
        services.TryAddScoped<WebhookEndpointNotifier>();
        services.TryAddScoped<WebhookEndpointService>();
        services.TryAddScoped<WebhookDeliveryService>();
        services.TryAddScoped<WebhookDispatcher>();
        services.TryAddScoped<WebhookSender>();
        return services;
    }
}
