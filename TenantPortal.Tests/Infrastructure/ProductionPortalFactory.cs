using Hangfire;
using Hangfire.InMemory;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// The portal in the Production environment (in-memory test server, its own SQLite file), to see what production
/// shows: error bodies, HSTS, secure cookies, the host rules. Its public address is <see cref="PublicUrl"/> and its
/// tenant hosts are <c>{slug}.</c><see cref="RootDomain"/>; clients made by <c>CreateClient</c> call the public address
/// over HTTPS, as a browser behind the TLS-terminating proxy would. Its jobs get their own in-memory storage and it
/// never touches Hangfire's process-wide configuration, which belongs to <see cref="PortalAppFactory"/>.
/// </summary>
public class ProductionPortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string PublicHost = "portal.example.com";
    public const string PublicUrl = "https://" + PublicHost;
    public const string RootDomain = "portal.test";

    public ProductionPortalFactory() => ClientOptions.BaseAddress = new Uri(PublicUrl);

    /// <summary>Every email the portal sends.</summary>
    public CapturingMailSender Mail { get; } = new();

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"tenantportal-prod-{Guid.NewGuid():N}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(DataDirectory);
        builder.UseEnvironment("Production");
        // The static files as a published app has them (the build's scoped CSS and JS are static web assets, which the
        // host maps only in Development): otherwise their endpoints would point at files the content root lacks.
        builder.UseStaticWebAssets();
        builder.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(DataDirectory, "portal.db")}");
        builder.UseSetting("Operator:Password", PortalAppFactory.OperatorPassword);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Email:PickupDirectory", Path.Combine(DataDirectory, "mail"));
        // Production requires the certificate that encrypts the Data Protection keys at rest.
        foreach (var (key, value) in TestCertificates.Settings())
            builder.UseSetting(key, value);
        builder.UseSetting("Portal:PublicUrl", PublicUrl);
        builder.UseSetting("Tenancy:RootDomain", RootDomain);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<JobStorage>();
            services.AddSingleton<JobStorage>(new InMemoryStorage());
            services.RemoveAll<IGlobalConfiguration>();
            services.AddSingleton<IGlobalConfiguration>(GlobalConfiguration.Configuration);
            services.AddTransient<IStartupFilter, ProductionProbeStartupFilter>();
            services.AddSingleton<TenantPortal.Core.Notifications.IMailSender>(Mail);
        });
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned by the system.
        }
    }
}
