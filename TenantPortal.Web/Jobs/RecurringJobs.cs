using Hangfire;

namespace TenantPortal.Web.Jobs;

/// <summary>Every recurring job, in one place: stable ids, cron in UTC.</summary>
public static class RecurringJobs
{
    /// <summary>Adds or updates the recurring jobs in the job storage.</summary>
    public static WebApplication UseRecurringJobs(this WebApplication app)
    {
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        jobs.AddOrUpdate<MeteringRollupJob>(MeteringRollupJob.Id, j => j.RunAsync(CancellationToken.None), MeteringRollupJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<InvitationCleanupJob>(InvitationCleanupJob.Id, j => j.RunAsync(CancellationToken.None), InvitationCleanupJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<QuotaAlertsJob>(QuotaAlertsJob.Id, j => j.RunAsync(CancellationToken.None), QuotaAlertsJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<MonthlyInvoicingJob>(MonthlyInvoicingJob.Id, j => j.RunAsync(CancellationToken.None), MonthlyInvoicingJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<TrialExpiryJob>(TrialExpiryJob.Id, j => j.RunAsync(CancellationToken.None), TrialExpiryJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<DunningJob>(DunningJob.Id, j => j.RunAsync(CancellationToken.None), DunningJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<SubscriptionRenewalsJob>(SubscriptionRenewalsJob.Id, j => j.RunAsync(CancellationToken.None), SubscriptionRenewalsJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<StripeInboxRetryJob>(StripeInboxRetryJob.Id, j => j.RunAsync(CancellationToken.None), StripeInboxRetryJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<SessionCleanupJob>(SessionCleanupJob.Id, j => j.RunAsync(CancellationToken.None), SessionCleanupJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<TenantDeletionJob>(TenantDeletionJob.Id, j => j.RunAsync(CancellationToken.None), TenantDeletionJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<DomainVerificationJob>(DomainVerificationJob.Id, j => j.RunAsync(CancellationToken.None), DomainVerificationJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        jobs.AddOrUpdate<WebhookDispatchJob>(WebhookDispatchJob.Id, j => j.RunAsync(CancellationToken.None), WebhookDispatchJob.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        return app;
    }
}
