using Hangfire;
using Hangfire.InMemory;
using TenantPortal.Data.Options;
using TenantPortal.Web.Observability;
using TenantPortal.Web.Operations;
using TenantPortal.Web.Jobs;
using TenantPortal.Web.Options;

namespace TenantPortal.Web.Startup;

/// <summary>Registers Hangfire: storage from <c>Hangfire:Storage</c>, and a job server.</summary>
public static class JobServiceExtensions
{
    /// <summary>Adds Hangfire with the configured storage.</summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var database = DatabaseOptions.Read(builder.Configuration);
        var options = HangfireOptions.Read(builder.Configuration, database);
        builder.Services.AddSingleton(options);
        builder.Services.AddHangfire((services, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseFilter(new JobMetricsFilter(services.GetRequiredService<PortalMetrics>()))
                .UseFilter(new JobFailureNoticeFilter(services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<ILogger<JobFailureNoticeFilter>>()));
            if (options.Storage == JobStorageKind.SqlServer)
            {
                HangfireSqlServerStorage.Use(config, database);
            }
            else if (options.Storage == JobStorageKind.PostgreSql)
            {
                HangfirePostgreSqlStorage.Use(config, database.ConnectionString, prepareSchema: database.AutoMigrate);
            }
            else
            {
                config.UseInMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Long });
            }
        });
        // The deployment step (--migrate-only) installs the server storage's schema; an instance never needs DDL rights for it.
        if (options.Storage == JobStorageKind.SqlServer)
            builder.Services.AddSingleton<IJobSchemaInstaller>(new HangfireSqlServerSchemaInstaller(database));
        else if (options.Storage == JobStorageKind.PostgreSql)
            builder.Services.AddSingleton<IJobSchemaInstaller>(new HangfirePostgreSqlSchemaInstaller(database));
        builder.Services.AddSingleton<FailedJobsCounter>();
        builder.Services.AddScoped<QuotaAlertsJob>();
        builder.Services.AddScoped<MeteringRollupJob>();
        builder.Services.AddScoped<InvitationCleanupJob>();
        builder.Services.AddScoped<MonthlyInvoicingJob>();
        builder.Services.AddScoped<TrialExpiryJob>();
        builder.Services.AddScoped<DunningJob>();
        builder.Services.AddScoped<SubscriptionRenewalsJob>();
        builder.Services.AddScoped<StripeInboxRetryJob>();
        builder.Services.AddScoped<SessionCleanupJob>();
        builder.Services.AddScoped<TenantDeletionJob>();
        builder.Services.AddScoped<DomainVerificationJob>();
        builder.Services.AddScoped<WebhookDispatchJob>();
        builder.Services.AddScoped<WebhookDeliveryJob>();
        builder.Services.AddSingleton<TenantPortal.Data.Services.Webhooks.IWebhookJobs, HangfireWebhookJobs>();
        builder.Services.AddScoped<JobMonitor>();
        builder.Services.AddHangfireServer(o =>
        {
            o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            o.WorkerCount = Math.Max(2, Environment.ProcessorCount);
        });
        return builder;
    }
}
