using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing;

/// <summary>
/// The billing states of a tenant, in one place for the quota check, the banners, the jobs, the webhooks and the
/// operators: when a trial has expired, what counts as unpaid, and what a payment or an active subscription lifts.
/// </summary>
internal static class BillingStatusRules
{
    /// <summary>
    /// The trial ended without a subscription: quota checks answer <c>trial_expired</c> and the UI asks for a plan. A
    /// tenant still on Trial past its end counts too (the trial-expiry job suspends it at its next run).
    /// </summary>
    public static bool IsTrialExpired(TenantStatus status, DateTimeOffset? trialEndsAt, DateTimeOffset? subscriptionStartedAt, DateTimeOffset now) =>
        trialEndsAt is { } end && end <= now
        && (status == TenantStatus.Trial || (status == TenantStatus.Suspended && subscriptionStartedAt is null));

    /// <summary>Whole days left of a trial ending at <paramref name="end"/>, rounded up; 0 once it has ended.</summary>
    public static int TrialDaysLeft(DateTimeOffset end, DateTimeOffset now) => Math.Max(0, (int)Math.Ceiling((end - now).TotalDays));

    /// <summary>Owes a payment: PastDue, or suspended by dunning. Settling what is overdue makes it Active again.</summary>
    public static bool IsUnpaid(Tenant tenant) => tenant.Status == TenantStatus.PastDue || IsSuspendedForNonPayment(tenant);

    /// <summary>Suspended by dunning: PastDue for too long (the dunning start is kept).</summary>
    public static bool IsSuspendedForNonPayment(Tenant tenant) => tenant.Status == TenantStatus.Suspended && tenant.PastDueSince is not null;

    /// <summary>Suspended for billing reasons (non-payment or an ended trial): a payment lifts it. An operator's suspension is not lifted by Stripe.</summary>
    public static bool IsSuspendedForBilling(Tenant tenant, DateTimeOffset now) =>
        IsSuspendedForNonPayment(tenant) || (tenant.Status == TenantStatus.Suspended && tenant.TrialEndsAt is { } end && end <= now);

    /// <summary>Makes the tenant Active (or keeps its Trial) and ends dunning; false when an operator's suspension keeps it suspended.</summary>
    public static bool Activate(Tenant tenant, TenantStatus target, DateTimeOffset now)
    {
        if (tenant.Status == TenantStatus.Suspended && !IsSuspendedForBilling(tenant, now))
            return false;
        tenant.Status = target;
        tenant.PastDueSince = null;
        tenant.SuspendedAt = null;
        return true;
    }

    /// <summary>A payment failed: Active or Trial tenants become PastDue (dunning starts at <paramref name="since"/>); Suspended and Cancelled stay.</summary>
    public static bool MarkPastDue(Tenant tenant, DateTimeOffset since)
    {
        if (tenant.Status is not (TenantStatus.Active or TenantStatus.Trial or TenantStatus.PastDue))
            return false;
        tenant.Status = TenantStatus.PastDue;
        tenant.PastDueSince ??= since;
        return true;
    }
}
