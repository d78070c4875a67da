using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Notifications;
using TenantPortal.Data;
using TenantPortal.Data.Identity;
using TenantPortal.Web.Components.Account;
using TenantPortal.Web.Email;
using TenantPortal.Web.Health;
using TenantPortal.Web.Options;
using TenantPortal.Data.Options;
using TenantPortal.Data.Redis;
using TenantPortal.Web.Security;
using TenantPortal.Web.Security.Sessions;

namespace TenantPortal.Web.Startup;

/// <summary>Registers the web layer: options, Identity, UI, email and health checks.</summary>
public static class WebServiceExtensions
{
    /// <summary>Adds everything the web layer needs.</summary>
    public static IHostApplicationBuilder AddWebServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);

        AddValidatedOptions<OperatorOptions>(services, OperatorOptions.SectionName);
        var development = builder.Environment.IsDevelopment();
        services.PostConfigure<OperatorOptions>(o => o.RequireTwoFactor ??= !development);
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, OperatorTwoFactorRequirement.Handler>();
        AddValidatedOptions<DemoOptions>(services, DemoOptions.SectionName);
        AddValidatedOptions<BillingOptions>(services, BillingOptions.SectionName);
        AddValidatedOptions<StripeOptions>(services, StripeOptions.SectionName);
        AddValidatedOptions<EmailOptions>(services, EmailOptions.SectionName);
        AddValidatedOptions<SmtpOptions>(services, SmtpOptions.SectionName);
        AddValidatedOptions<TenancyOptions>(services, TenancyOptions.SectionName);
        AddValidatedOptions<PortalOptions>(services, PortalOptions.SectionName);
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<PortalOptions>, PortalOptionsValidator>();
        // Every absolute link comes from configuration (Portal:PublicUrl), never from a request's Host.
        services.AddSingleton<PortalAddresses>();
        services.AddSingleton<TenantPortal.Core.Common.IPortalAddresses>(sp => sp.GetRequiredService<PortalAddresses>());
        services.AddScoped<TenantHosts>();
        services.AddSingleton<TenantPortal.Data.Services.Domains.IDomainRoutingObserver, HostCacheInvalidator>();
        // Invoices as PDF: stateless (each rendering has its own fonts and pages), its embedded fonts installed once.
        services.AddSingleton<TenantPortal.Web.Invoices.InvoicePdfRenderer>();
        services.AddSingleton<TenantPortal.Web.Invoices.CreditNotePdfRenderer>();
        AddValidatedOptions<RateLimitingOptions>(services, RateLimitingOptions.SectionName);
        AddValidatedOptions<MetricsOptions>(services, MetricsOptions.SectionName);
        services.AddSingleton<TenantPortal.Web.Observability.PortalMetrics>();
        services.AddSingleton<TenantPortal.Web.Observability.ApiRefusalCounter>();
        services.AddSingleton<TenantPortal.Data.Services.Metering.IUsageReportObserver>(sp => sp.GetRequiredService<TenantPortal.Web.Observability.PortalMetrics>());
        services.AddTenantRateLimiting();
        // Redis when configured: one connection shared with the data layer (registered once), for the shared rate
        // limiter (RateLimiting:Store=Redis) and the readiness report.
        var redis = RedisOptions.Read(builder.Configuration);
        RateLimitingOptions.ReadStore(builder.Configuration, redis);
        if (redis.IsConfigured)
            services.AddRedisConnection(redis);
        services.AddPortalOpenApi();
        services.AddTrustedProxies();
        services.PostConfigure<DemoOptions>(o =>
        {
            // Demo data is on in Development unless switched off explicitly.
            if (builder.Configuration[$"{DemoOptions.SectionName}:Seed"] is null)
                o.Seed = builder.Environment.IsDevelopment();
        });

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<CurrentUser>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        // Sign-in tickets live on the server (Identity's application cookie holds a session id), so that sessions can end.
        services.AddServerSideSessions();
        TenantPortal.Web.Security.Sso.TenantSsoExtensions.AddTenantSso(services);
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        Endpoints.Scim.ScimAuthentication.AddScimAuthentication(services);
        services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.Operator, p => p.RequireAuthenticatedUser().RequireRole(PortalRoles.Operator)
                .AddRequirements(new OperatorTwoFactorRequirement()))
            .AddPolicy(PortalPolicies.ApiKey, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        foreach (var scope in TenantPortal.Core.ApiKeys.ApiKeyScopes.All)
        {
            services.AddAuthorizationBuilder().AddPolicy(PortalPolicies.Scope(scope), p => p
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope));
        }
        // One guard per circuit, reachable by type too, so that a page can acknowledge a change it made itself.
        services.AddScoped<TenantCircuitGuard>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<TenantCircuitGuard>());
        services.AddMemoryCache();
        builder.AddHttpHardening();

        services.AddIdentityCore<PortalUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                // OWASP ASVS 6.2 / NIST SP 800-63B: length and a deny list (PortalPasswordValidator), no composition rules.
                options.Password.RequiredLength = TenantPortal.Web.Security.Passwords.PortalPasswordValidator.MinimumLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<TenantPortal.Web.Security.Passwords.PortalPasswordValidator>()
            .AddUserValidator<TenantPortal.Data.Identity.PlainTextUserValidator>();
        services.AddSingleton<TenantPortal.Web.Security.Passwords.CommonPasswords>();

        services.AddSingleton<PickupDirectoryMailSender>();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<IMailSender>(sp =>
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailOptions>>().Value.Mode == "Smtp"
                ? sp.GetRequiredService<SmtpMailSender>()
                : sp.GetRequiredService<PickupDirectoryMailSender>());
        services.AddSingleton<IEmailSender<PortalUser>, IdentityMailSender>();

        services.AddScoped<OperatorBootstrapper>();
        services.AddScoped<OperatorAccountService>();
        services.AddScoped<DemoDataSeeder>();

        services.AddHealthChecks()
            .AddDbContextCheck<PortalDbContext>("database", tags: ["ready"])
            .AddCheck<JobStorageHealthCheck>("jobs", tags: ["ready"]);
        if (redis.IsConfigured)
            services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", failureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, tags: ["ready"]);

        return builder;
    }

    private static void AddValidatedOptions<T>(IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
