using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>
/// The real portal on a real port (Kestrel, port 0) with its own SQLite file, demo data and a known operator password.
/// One instance serves every web and browser test: Hangfire's configuration is process-wide.
/// </summary>
public sealed class PortalAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string OperatorEmail = "operator@tenantportal.local";
    public const string OperatorPassword = "Operator-Test-2026";
    public const string DemoPassword = "Demo-Portal-2026";
    public const string DemoApiKey = "tp_demo_0123456789abcdefghijklmnop";
    public const string StripeWebhookSecret = Builders.StripeEventBuilder.Secret;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"tenantportal-web-{Guid.NewGuid():N}");

    /// <summary>Every log entry the app writes, for tests that check what is (not) logged.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>The address Kestrel listens on, e.g. http://127.0.0.1:41234.</summary>
    public Uri ServerAddress { get; private set; } = default!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(DataDirectory, "portal.db")}");
        builder.UseSetting("Operator:Password", OperatorPassword);
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("Demo:ApiKey", DemoApiKey);
        builder.UseSetting("RateLimiting:Tiers:Free", "5");
        builder.UseSetting("Stripe:WebhookSecret", StripeWebhookSecret);
        builder.UseSetting("Email:PickupDirectory", Path.Combine(DataDirectory, "mail"));
        builder.UseSetting("urls", "http://127.0.0.1:0");
        // Webhook tests deliver to a receiver on loopback.
        builder.UseSetting("Webhooks:AllowPrivateAddresses", "true");
        // Single sign-on tests run their identity provider on loopback over http (allowed in Development only).
        builder.UseSetting("Sso:AllowHttpIssuers", "true");
        builder.ConfigureServices(services =>
        {
            services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, ApiKeyProbeStartupFilter>();
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        });
    }

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        ServerAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
        return Task.CompletedTask;
    }

    /// <summary>A client of the real server that keeps cookies and does not follow redirects (tests assert them).</summary>
    public HttpClient CreateBrowserLikeClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
        {
            BaseAddress = ServerAddress,
        };

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        // Hangfire keeps its log provider in a static, bound to this app's (now disposed) logger factory: a Production
        // portal of another test class that starts later would fail creating its job storage.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
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
