using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using TenantPortal.Data.Options;
using TenantPortal.Web.Options;

namespace TenantPortal.Web.Startup;

/// <summary>What runs once before the portal takes requests: migrations, the bootstrap operator, demo data; and the start-up banner.</summary>
public static class StartupTasks
{
    /// <summary>
    /// Checks the database and migrates it (when <c>Database:AutoMigrate</c>), loads the Data Protection key ring under the
    /// start-up lock, ensures the operator, seeds demo data (when <c>Demo:Seed</c>). Runs before
    /// <see cref="PipelineExtensions.UsePortal"/>, which builds the job storage and registers the recurring jobs: on an
    /// empty server the database exists only once this has migrated it.
    /// </summary>
    public static async Task InitializeAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        // Resolving the options here surfaces a bad setting before anything is written.
        var demo = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<OperatorOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<BillingOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<StripeOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<EmailOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<TenancyOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<PortalOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<DataProtectionCertificateOptions>>().Value;
        var database = app.Services.GetRequiredService<DatabaseOptions>();

        string? generatedPassword;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await DatabaseStartup.PrepareAsync(scope.ServiceProvider, migrate: database.AutoMigrate, cancellationToken);
            // Instances started together share the first key (one makes it, the others read it).
            await scope.ServiceProvider.GetRequiredService<TenantPortal.Data.Services.Startup.DataProtectionKeyRing>().EnsureAsync(cancellationToken);
            var bootstrapper = scope.ServiceProvider.GetRequiredService<OperatorBootstrapper>();
            await bootstrapper.EnsureOperatorAsync(cancellationToken);
            generatedPassword = bootstrapper.GeneratedPassword;
        }
        if (demo.Seed)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
        }

        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() => PrintBanner(app, demo, generatedPassword));
    }

    private static void PrintBanner(WebApplication app, DemoOptions demo, string? generatedPassword)
    {
        var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var operatorEmail = app.Services.GetRequiredService<IOptions<OperatorOptions>>().Value.Email;
        var lines = new List<string> { "", "TenantPortal is running." };
        lines.AddRange(addresses.Select(a => $"  Open {a}"));
        lines.Add($"  Links in emails point to {app.Services.GetRequiredService<TenantPortal.Web.Security.PortalAddresses>().PublicUrl} (Portal:PublicUrl)");
        if (generatedPassword is not null)
            lines.Add($"  Operator: {operatorEmail} / {generatedPassword}   (generated now and shown only this once; set Operator:Password to choose it)");
        if (demo.Seed)
        {
            lines.Add($"  Demo logins (password {demo.Password}):");
            lines.Add("    owner@acme.test, admin@acme.test, member@acme.test, viewer@acme.test   (acme: Professional, Active)");
            lines.Add("    owner@globex.test, …                                                   (globex: Starter, Trial)");
            lines.Add("    owner@initech.test, …                                                  (initech: Free, near its API quota)");
        }
        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
