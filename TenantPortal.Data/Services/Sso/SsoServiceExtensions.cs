using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Outbound;
using TenantPortal.Data.Services.Webhooks;

namespace TenantPortal.Data.Services.Sso;

/// <summary>Registers the data side of single sign-on: its settings, services and the HTTP client that reads providers.</summary>
public static class SsoServiceExtensions
{
    /// <summary>Adds <see cref="SsoOptions"/> (checked at start-up: http issuers only in Development or Testing) and the services.</summary>
    public static IServiceCollection AddSingleSignOn(this IServiceCollection services, IHostApplicationBuilder builder)
    {
        var environment = builder.Environment.EnvironmentName;
        services.AddOptions<SsoOptions>().BindConfiguration(SsoOptions.SectionName)
            .Validate(o => !o.AllowHttpIssuers || SsoOptions.MayAllowHttp(environment), SsoOptions.AllowHttpRefused)
            .ValidateOnStart();
        // The provider is an address an admin typed: the portal connects to it only at public addresses, as it does for
        // webhooks (tests, which run their provider on loopback, allow private ones with Sso:AllowHttpIssuers).
        services.AddHttpClient(SsoIssuer.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(provider => PublicAddressConnector.Handler(
                provider.GetRequiredService<IWebhookHostResolver>(),
                provider.GetRequiredService<IOptions<SsoOptions>>().Value.AllowHttpIssuers,
                TimeSpan.FromSeconds(10)));
        services.AddSingleton<SsoSecretProtector>();
        services.AddScoped<SsoDiscovery>();
        services.AddScoped<SsoConnectionService>();
        services.AddScoped<SsoDirectory>();
        return services;
    }
}
