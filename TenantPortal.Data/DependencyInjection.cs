using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Interceptors;
using TenantPortal.Data.Options;
using TenantPortal.Data.Redis;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.ApiKeys;
using TenantPortal.Data.Services.Billing;
using TenantPortal.Data.Services.Billing.Credits;
using TenantPortal.Data.Services.Billing.Stripe;
using TenantPortal.Data.Services.Webhooks;
using TenantPortal.Data.Services.Billing.Webhooks;
using TenantPortal.Data.Services.Entitlements;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Data.Services.Members;
using TenantPortal.Data.Services.Metering;
using TenantPortal.Data.Services.Metering.Corrections;
using TenantPortal.Data.Services.Operations;
using TenantPortal.Data.Services.Notifications;
using TenantPortal.Data.Services.Sessions;
using TenantPortal.Data.Services.Startup;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Data.Services.Domains;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Data;

/// <summary>Registers the data layer: the provider's context, the tenant context, Data Protection keys and the services.</summary>
public static class DependencyInjection
{
    /// <summary>Adds the data layer for the configured provider.</summary>
    public static IHostApplicationBuilder AddDataServices(this IHostApplicationBuilder builder)
    {
        var database = DatabaseOptions.Read(builder.Configuration);
        var services = builder.Services;
        if (database.Provider == DatabaseProvider.Sqlite)
            database = database with { ConnectionString = ResolveSqlitePath(database.ConnectionString, builder.Environment.ContentRootPath) };
        services.AddSingleton(database);
        var redis = RedisOptions.Read(builder.Configuration);
        services.TryAddSingleton(redis);
        var metering = MeteringOptions.Read(builder.Configuration, database.Provider, redis);
        services.AddSingleton(metering);
        services.AddEntitlements(builder.Configuration, metering.QuotaCache);
        if (metering.QuotaCache == QuotaCacheMode.Redis)
        {
            // Totals shared through Redis; tenant state per instance, invalidated on every instance through Redis.
            services.AddRedisConnection(redis);
            services.AddSingleton<RedisQuotaTotals>();
            services.AddSingleton<TenantQuotaStateCache>();
            services.AddSingleton<RedisTenantStateChannel>();
            services.AddHostedService(sp => sp.GetRequiredService<RedisTenantStateChannel>());
            services.AddSingleton<QuotaCacheInvalidationInterceptor>();
        }
        if (metering.QuotaCache == QuotaCacheMode.Local)
        {
            services.AddSingleton<QuotaUsageCache>();
            services.AddSingleton<IUsageIngestObserver>(sp => sp.GetRequiredService<QuotaUsageCache>());
            services.AddSingleton<TenantQuotaStateCache>();
            services.AddSingleton<QuotaCacheInvalidationInterceptor>();
            // Live panels skip a refresh when nothing of the tenant changed: only exact while this process is the one writer.
            services.AddSingleton<TenantDataVersions>();
            services.AddSingleton<IUsageIngestObserver>(sp => sp.GetRequiredService<TenantDataVersions>());
            services.AddSingleton<TenantDataVersionInterceptor>();
        }
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());

        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContextFactory<SqlitePortalDbContext>(
                    (sp, o) => AddInterceptors(sp, o.UseSqlite(database.ConnectionString)), ServiceLifetime.Scoped);
                services.AddScoped<IDbContextFactory<PortalDbContext>>(sp =>
                    new PortalDbContextFactory<SqlitePortalDbContext>(sp.GetRequiredService<IDbContextFactory<SqlitePortalDbContext>>()));
                // One writer per process: it groups concurrent batches into one transaction (group commit).
                services.AddSingleton(_ => new SqliteUsageWriter(database.ConnectionString, metering.SynchronousFull));
                services.AddScoped<IUsageEventStore, SqliteUsageEventStore>();
                services.AddSingleton<IRollupStore, SqliteRollupStore>();
                services.AddSingleton<IUsageCommitBarrier, SqliteUsageCommitBarrier>();
                services.AddSingleton<IStartupLock, SqliteStartupLock>();
                break;
            case DatabaseProvider.SqlServer:
                // Row-level security reads the session context this interceptor sets on every command.
                services.AddSingleton<TenantSessionContextInterceptor>();
                services.AddDbContextFactory<SqlServerPortalDbContext>(
                    (sp, o) => AddInterceptors(sp, SqlServerContextOptions.Configure(o, database.ConnectionString,
                        sp.GetRequiredService<TenantSessionContextInterceptor>())), ServiceLifetime.Scoped);
                services.AddScoped<IDbContextFactory<PortalDbContext>>(sp =>
                    new PortalDbContextFactory<SqlServerPortalDbContext>(sp.GetRequiredService<IDbContextFactory<SqlServerPortalDbContext>>()));
                services.AddScoped<IUsageEventStore, SqlServerUsageEventStore>();
                services.AddSingleton<IRollupStore, SqlServerRollupStore>();
                services.AddSingleton<IUsageCommitBarrier, SqlServerUsageCommitBarrier>();
                services.AddSingleton<IStartupLock, SqlServerStartupLock>();
                break;
            case DatabaseProvider.PostgreSql:
                // One data source per process: its pool is shared by every context, the ingest store and the health check.
                services.AddSingleton(_ => new NpgsqlDataSourceBuilder(database.ConnectionString).Build());
                // Row-level security reads the per-transaction tenant settings this interceptor sets for every command.
                services.AddSingleton<PostgreSqlTenantSettingInterceptor>();
                services.AddDbContextFactory<PostgreSqlPortalDbContext>(
                    (sp, o) => AddInterceptors(sp, PostgreSqlContextOptions.Configure(o, sp.GetRequiredService<NpgsqlDataSource>())
                        .AddInterceptors(sp.GetRequiredService<PostgreSqlTenantSettingInterceptor>())),
                    ServiceLifetime.Scoped);
                services.AddScoped<IDbContextFactory<PortalDbContext>>(sp =>
                    new PortalDbContextFactory<PostgreSqlPortalDbContext>(sp.GetRequiredService<IDbContextFactory<PostgreSqlPortalDbContext>>()));
                services.AddScoped<IUsageEventStore, PostgreSqlUsageEventStore>();
                services.AddSingleton<IRollupStore, PostgreSqlRollupStore>();
                services.AddSingleton<IUsageCommitBarrier, PostgreSqlUsageCommitBarrier>();
                services.AddSingleton<IStartupLock, PostgreSqlStartupLock>();
                break;
        }
        // Identity's stores and request-scoped code take the base context; the scope disposes it.
        services.AddScoped<PortalDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());

        // Keys in the database: cookies and antiforgery tokens stay valid across restarts and instances. Encrypted there
        // with a certificate from configuration, so that the table (or a backup of it) can't be used to forge a cookie.
        var dataProtection = services.AddDataProtection().SetApplicationName("TenantPortal").PersistKeysToDbContext<PortalDbContext>();
        if (DataProtectionCertificates.Load(builder.Configuration, builder.Environment.ContentRootPath) is { } certificates)
        {
            dataProtection.ProtectKeysWithCertificate(certificates.Current);
            dataProtection.UnprotectKeysWithAnyCertificate([.. certificates.All]);
        }
        // Optional in Development (keys stay plain XML there); required everywhere else, checked when the portal starts
        // (not in --migrate-only, which touches no key).
        var development = builder.Environment.IsDevelopment();
        services.AddOptions<DataProtectionCertificateOptions>().BindConfiguration(DataProtectionCertificateOptions.SectionName)
            .Validate(o => development || !string.IsNullOrWhiteSpace(o.Path), DataProtectionCertificates.RequiredMessage)
            .ValidateOnStart();

        services.AddSingleton<DataProtectionKeyRing>();
        services.AddScoped<DatabaseMigrator>();
        services.AddScoped<DatabaseReachability>();
        services.AddScoped<SqlServerVersionCheck>();
        services.AddScoped<TenantAccessService>();
        services.AddScoped<TenantOverviewService>();
        services.AddScoped<FleetService>();
        services.AddSingleton<FleetSnapshotChanges>();
        services.AddSingleton<FleetSnapshotInterceptor>();
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<MemberProvisioner>();
        services.AddDomainServices();
        Services.Sso.SsoServiceExtensions.AddSingleSignOn(services, builder);
        services.AddScoped<AuditQueryService>();
        services.AddScoped<FleetAuditService>();
        services.AddScoped<TenantPortal.Data.Services.Audit.Export.AuditExportService>();
        services.AddScoped<TenantPortal.Data.Services.Audit.Export.FleetAuditExportService>();
        services.AddScoped<TenantCreator>();
        services.AddScoped<TenantService>();
        services.AddScoped<TenantDeletionService>();
        services.AddScoped<MemberService>();
        services.AddScoped<InvitationMailer>();
        services.AddScoped<InvitationService>();
        services.AddScoped<InvitationAcceptanceService>();
        services.AddScoped<InvitationCleanupService>();
        services.AddSingleton<ApiKeyCache>();
        services.AddScoped<ApiKeyService>();
        Services.Scim.ScimServiceRegistration.AddScimServices(services);
        services.AddWebhooks(builder.Environment);
        services.AddScoped<UsageIngestionService>();
        services.AddScoped<MeteringRollupService>();
        services.AddScoped<ApiRefusalService>();
        services.AddScoped<QuotaService>();
        services.AddScoped<UsageReportService>();
        services.AddScoped<UsageHistoryService>();
        // Usage corrections; IUsageCorrectionObserver implementations (e.g. credit notes) are added beside them.
        services.AddScoped<UsageCorrectionWriter>();
        services.AddScoped<UsageCorrectionService>();
        services.AddScoped<NotificationService>();
        services.AddScoped<OwnerAskService>();
        services.AddScoped<OperatorNoticeService>();
        services.AddScoped<QuotaAlertService>();
        services.AddScoped<BillingNotifier>();
        services.AddScoped<BillingService>();
        services.AddScoped<Services.Budgets.SpendBudgetService>();
        services.AddScoped<InvoiceService>();
        services.AddScoped<InvoicingService>();
        services.AddScoped<CreditNoteIssuer>();
        services.AddScoped<CreditNoteService>();
        services.AddScoped<TenantPortal.Data.Services.Metering.Corrections.BackfillPreviewService>();
        services.AddSingleton<TenantPortal.Data.Services.Metering.Corrections.IUsageCorrectionObserver, CreditNoteCorrectionObserver>();
        services.AddCreditServices();
        services.AddScoped<SubscriptionRenewalService>();
        services.AddScoped<TrialExpiryService>();
        services.AddScoped<DunningService>();
        services.AddScoped<InvoiceSettlementService>();
        services.AddScoped<OperatorTenantService>();
        services.AddSingleton<TenantJobRunner>();
        // Stripe when a secret key is configured, else the local ledger; the gateway is a singleton (its price cache lives on).
        services.AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<IOptions<StripeOptions>>().Value.Enabled
            ? new StripePaymentGateway(sp.GetRequiredService<IOptions<StripeOptions>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetRequiredService<ILogger<StripePaymentGateway>>())
            : new LedgerGateway());
        services.AddScoped<StripeWebhookService>();
        services.AddScoped<StripeInboxService>();
        services.AddScoped<BillingStatusService>();
        services.AddScoped<IUserSessionStore, DatabaseUserSessionStore>();
        services.AddScoped<UserSessionService>();
        return builder;
    }

    // The quota cache's invalidation and the panels' change versions see every save, when the cache is on.
    private static void AddInterceptors(IServiceProvider services, DbContextOptionsBuilder options)
    {
        if (services.GetService<QuotaCacheInvalidationInterceptor>() is { } quotaCache)
            options.AddInterceptors(quotaCache);
        if (services.GetService<TenantDataVersionInterceptor>() is { } versions)
            options.AddInterceptors(versions);
        if (services.GetService<FleetSnapshotInterceptor>() is { } fleet)
            options.AddInterceptors(fleet);
        if (services.GetService<EntitlementCacheInvalidationInterceptor>() is { } entitlements)
            options.AddInterceptors(entitlements);
        if (services.GetService<IWebhookJobs>() is not null)
            options.AddInterceptors(services.GetRequiredService<WebhookOutboxInterceptor>());
    }

    // A relative SQLite path is taken from the content root (not the working directory), and its folder is created.
    private static string ResolveSqlitePath(string connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        var dataSource = csb.DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || csb.Mode == SqliteOpenMode.Memory
            || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            return connectionString;
        var fullPath = Path.IsPathRooted(dataSource) ? dataSource : Path.GetFullPath(Path.Combine(contentRoot, dataSource));
        var directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        csb.DataSource = fullPath;
        return csb.ToString();
    }
}
