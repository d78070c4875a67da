using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing.Webhooks;

/// <summary>Which tenant states a payment or an active subscription lifts, and how.</summary>
internal static class BillingStatusRules
{
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
