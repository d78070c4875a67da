namespace TenantPortal.Core.Tenants;

/// <summary>
/// A customer organisation: the unit of isolation, billing and quotas. Its lifecycle (status, plan, subscription,
/// dunning, suspension) changes only through its own transitions (<c>Tenant.Lifecycle.cs</c>), which decide who may do
/// what from which state; the table is in docs/decisions/0008-tenant-lifecycle.md.
/// </summary>
public partial class Tenant
{
    // For EF Core; everyone else starts a tenant with Create.
    private Tenant()
    {
    }

    /// <summary>Primary key.</summary>
    public Guid Id { get; private set; } = Guid.NewGuid();

    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Unique URL name (see <see cref="TenantSlug"/>).</summary>
    public string Slug { get; set; } = "";

    /// <summary>Optional custom host name the tenant's users may reach the portal on (normalized: see <c>HostNames</c>).</summary>
    public string? CustomDomain { get; set; }

    /// <summary>
    /// When <see cref="CustomDomain"/> was verified (its DNS shown to be the tenant's); null until then, and again
    /// whenever the domain changes. An unverified domain does not route to the tenant and is not served.
    /// </summary>
    public DateTimeOffset? CustomDomainVerifiedAt { get; set; }

    /// <summary>
    /// A verified domain of the tenant (<c>TenantDomain</c>) was proven: when it is <see cref="CustomDomain"/>, the custom
    /// domain counts as verified from now (unless it was already). Another name changes nothing.
    /// </summary>
    public void CustomDomainProven(string domain, DateTimeOffset now)
    {
        if (CustomDomain == domain)
            CustomDomainVerifiedAt ??= now;
    }

    /// <summary>A verified domain of the tenant lost its verification or was removed: when it is <see cref="CustomDomain"/>, that is unverified too.</summary>
    public void CustomDomainLost(string domain)
    {
        if (CustomDomain == domain)
            CustomDomainVerifiedAt = null;
    }

    /// <summary>The plan.</summary>
    public SubscriptionTier Tier { get; private set; }

    /// <summary>Lifecycle state.</summary>
    public TenantStatus Status { get; private set; }

    /// <summary>
    /// When the owner deleted the tenant (<see cref="RequestDeletion"/>). From then on the tenant is gone for everyone (the data
    /// layer hides it); its rows are deleted in batches afterwards, and the tenant row last.
    /// </summary>
    public DateTimeOffset? DeletionRequestedAt { get; private set; }

    /// <summary>
    /// Who suspended the tenant: set while it is <see cref="TenantStatus.Suspended"/>. On a
    /// <see cref="TenantStatus.Cancelled"/> tenant only <see cref="Tenants.SuspensionReason.Operator"/> remains: the
    /// subscription ended while an operator's suspension held, and only an operator lifts it.
    /// </summary>
    public SuspensionReason? SuspensionReason { get; private set; }

    /// <summary>Monthly or annual billing.</summary>
    public BillingCycle BillingCycle { get; private set; }

    /// <summary>Where invoices go; the owner's email when empty.</summary>
    public string? BillingEmail { get; set; }

    /// <summary>Stripe customer id, once created.</summary>
    public string? StripeCustomerId { get; private set; }

    /// <summary>Stripe subscription id, once subscribed through Stripe (kept after it ended: a deletion is final for its id).</summary>
    public string? StripeSubscriptionId { get; private set; }

    /// <summary>
    /// When the tenant's billing moved to Stripe: the start of its first Stripe subscription. Plan time before it was
    /// billed on the local ledger (a tenant that subscribed there before <c>Stripe:SecretKey</c> was set); from it on, the
    /// subscription in Stripe bills the base price. Null until a Stripe subscription is linked, and for tenants linked
    /// before it was kept (see <see cref="BaseBilledInStripeFrom"/>).
    /// </summary>
    public DateTimeOffset? StripeBillingStartedAt { get; private set; }

    /// <summary>When the trial ends (paid tiers created on a trial).</summary>
    public DateTimeOffset? TrialEndsAt { get; private set; }

    /// <summary>When the current (or last) paid subscription started.</summary>
    public DateTimeOffset? SubscriptionStartedAt { get; private set; }

    /// <summary>End of the current paid period.</summary>
    public DateTimeOffset? CurrentPeriodEndsAt { get; private set; }

    /// <summary>True when the subscription is set to end at the end of the current period.</summary>
    public bool CancelAtPeriodEnd { get; private set; }

    /// <summary>A plan change scheduled for the end of the period (a downgrade or a cycle change), or null.</summary>
    public SubscriptionTier? PendingTier { get; private set; }

    /// <summary>The cycle of the scheduled change.</summary>
    public BillingCycle? PendingCycle { get; private set; }

    /// <summary>When the scheduled change takes effect.</summary>
    public DateTimeOffset? PendingChangeAt { get; private set; }

    /// <summary>When the trial-ending reminder was sent (it is sent once per trial end).</summary>
    public DateTimeOffset? TrialReminderSentAt { get; private set; }

    /// <summary>
    /// The creation time of the newest Stripe subscription event applied to this tenant: an older event arriving late
    /// never overwrites newer state.
    /// </summary>
    public DateTimeOffset? StripeStateAt { get; private set; }

    /// <summary>When the tenant became PastDue (the start of dunning).</summary>
    public DateTimeOffset? PastDueSince { get; private set; }

    /// <summary>When the tenant was suspended.</summary>
    public DateTimeOffset? SuspendedAt { get; private set; }

    /// <summary>Creation time (UTC).</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// When true, the tenant's Owners must have two-factor authentication and have signed in with it to use the tenant;
    /// only an Owner switches it.
    /// </summary>
    public bool RequireOwnerTwoFactor { get; set; }

    /// <summary>Free-form tenant settings (time zone, locale, notification preferences).</summary>
    public TenantSettings Settings { get; set; } = new();

    /// <summary>Operator overrides of the plan's quotas.</summary>
    public List<QuotaOverride> QuotaOverrides { get; set; } = [];

    /// <summary>Optimistic concurrency token, changed on every save.</summary>
    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();

    /// <summary>
    /// From when a Stripe subscription bills the tenant's base price: null while it has none (its plan time is billed on
    /// the local ledger), else <see cref="StripeBillingStartedAt"/>, or its creation for a tenant linked before that was kept.
    /// </summary>
    public DateTimeOffset? BaseBilledInStripeFrom => StripeSubscriptionId is null ? null : StripeBillingStartedAt ?? CreatedAt;

    /// <summary>
    /// A paid subscription that no payment provider holds: started on the local ledger (with Stripe configured, a tenant
    /// that subscribed before it was). Its plan changes, cancellation and invoices stay on the ledger until it ends.
    /// </summary>
    public bool HasLedgerSubscription => HasPaidSubscription && StripeSubscriptionId is null;

    /// <summary>True when the tenant pays for a tier now: not a trial, not Free, not ended.</summary>
    public bool HasPaidSubscription => PaysFor(Tier);

    // Whether the tenant, subscribed as it is, would pay for `tier`: a subscription started and has not ended (a trial,
    // an ended trial or a cancellation pays nothing), and the tier has a price.
    private bool PaysFor(SubscriptionTier tier) =>
        tier != SubscriptionTier.Free && SubscriptionStartedAt is not null
        && Status is TenantStatus.Active or TenantStatus.PastDue or TenantStatus.Suspended
        && SuspensionReason != Tenants.SuspensionReason.TrialExpired;

    /// <summary>True while an operator's suspension holds (only an operator lifts it).</summary>
    public bool IsHeldByOperator => SuspensionReason == Tenants.SuspensionReason.Operator;

    /// <summary>Owes a payment: PastDue, or suspended for non-payment. Paying what is overdue makes it Active again.</summary>
    public bool IsUnpaid => Status == TenantStatus.PastDue || (Status == TenantStatus.Suspended && SuspensionReason == Tenants.SuspensionReason.NonPayment);

    /// <summary>
    /// The trial ended without a subscription: suspended for it, or still on Trial past its end (the trial-expiry job
    /// suspends it at its next run). Quota checks answer <c>trial_expired</c> and the UI asks for a plan.
    /// </summary>
    public bool IsTrialExpired(DateTimeOffset now) =>
        (Status == TenantStatus.Trial && TrialEndsAt is { } end && end <= now)
        || (Status == TenantStatus.Suspended && SuspensionReason == Tenants.SuspensionReason.TrialExpired);

    /// <summary>Whole days left of a running trial, rounded up (0 once it has ended); null when not on a trial.</summary>
    public int? TrialDaysLeft(DateTimeOffset now) =>
        Status == TenantStatus.Trial && TrialEndsAt is { } end ? DaysLeft(end, now) : null;

    /// <summary>Whole days from <paramref name="now"/> to <paramref name="end"/>, rounded up; 0 once it has passed.</summary>
    public static int DaysLeft(DateTimeOffset end, DateTimeOffset now) => Math.Max(0, (int)Math.Ceiling((end - now).TotalDays));

    /// <summary>The end of the current period: the renewal date, or the end of the calendar month.</summary>
    public DateTimeOffset PeriodEnd(DateTimeOffset now)
    {
        if (CurrentPeriodEndsAt is { } end && end > now)
            return end;
        if (BillingCycle == BillingCycle.Annual && SubscriptionStartedAt is { } start)
        {
            var next = start;
            while (next <= now)
                next = next.AddMonths(12);
            return next;
        }
        return MonthStart(now).AddMonths(1);
    }

    /// <summary>The end of a period of <paramref name="cycle"/> starting at <paramref name="now"/>: the calendar month's end, or a year on.</summary>
    public static DateTimeOffset NextPeriodEnd(BillingCycle cycle, DateTimeOffset now) =>
        cycle == BillingCycle.Annual ? now.AddMonths(12) : MonthStart(now).AddMonths(1);

    private static DateTimeOffset MonthStart(DateTimeOffset at)
    {
        var u = at.UtcDateTime;
        return new DateTimeOffset(u.Year, u.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
