using TenantPortal.Data.Services.Billing;

namespace TenantPortal.Web.Jobs;

/// <summary>
/// The <c>subscription-renewals</c> recurring job: at each period end, applies scheduled downgrades, ends subscriptions
/// cancelled at the period end and rolls ledger renewal dates forward.
/// </summary>
public sealed class SubscriptionRenewalsJob(SubscriptionRenewalService renewals, ILogger<SubscriptionRenewalsJob> logger)
{
    /// <summary>The recurring job id.</summary>
    public const string Id = "subscription-renewals";

    /// <summary>Every 15 minutes: a period end takes effect within a quarter of an hour.</summary>
    public const string Cron = "*/15 * * * *";

    /// <summary>Renews what is due; Hangfire passes its shutdown token.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var changed = await renewals.RunAsync(cancellationToken);
        if (changed > 0)
            logger.LogInformation("Subscription renewals: {Changed} tenants changed", changed);
    }
}
