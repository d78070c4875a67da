namespace TenantPortal.Core.Tenants;

/// <summary>A customer organisation: the unit of isolation, billing and quotas.</summary>
public class Tenant
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

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

    /// <summary>The plan.</summary>
    public SubscriptionTier Tier { get; set; }

    /// <summary>Lifecycle state.</summary>
    public TenantStatus Status { get; set; }

    /// <summary>Monthly or annual billing.</summary>
    public BillingCycle BillingCycle { get; set; }

    /// <summary>Where invoices go; the owner's email when empty.</summary>
    public string? BillingEmail { get; set; }

    /// <summary>Stripe customer id, once created.</summary>
    public string? StripeCustomerId { get; set; }

    /// <summary>Stripe subscription id, once subscribed.</summary>
    public string? StripeSubscriptionId { get; set; }

    /// <summary>When the trial ends (paid tiers created on a trial).</summary>
    public DateTimeOffset? TrialEndsAt { get; set; }

    /// <summary>When the current subscription started.</summary>
    public DateTimeOffset? SubscriptionStartedAt { get; set; }

    /// <summary>End of the current paid period.</summary>
    public DateTimeOffset? CurrentPeriodEndsAt { get; set; }

    /// <summary>True when the subscription is set to end at the end of the current period.</summary>
    public bool CancelAtPeriodEnd { get; set; }

    /// <summary>A plan change scheduled for the end of the period (a downgrade or a cycle change), or null.</summary>
    public SubscriptionTier? PendingTier { get; set; }

    /// <summary>The cycle of the scheduled change.</summary>
    public BillingCycle? PendingCycle { get; set; }

    /// <summary>When the scheduled change takes effect.</summary>
    public DateTimeOffset? PendingChangeAt { get; set; }

    /// <summary>When the trial-ending reminder was sent (it is sent once).</summary>
    public DateTimeOffset? TrialReminderSentAt { get; set; }

    /// <summary>
    /// The creation time of the newest Stripe subscription event applied to this tenant: an older event arriving late
    /// never overwrites newer state.
    /// </summary>
    public DateTimeOffset? StripeStateAt { get; set; }

    /// <summary>When the tenant became PastDue (the start of dunning).</summary>
    public DateTimeOffset? PastDueSince { get; set; }

    /// <summary>When the tenant was suspended.</summary>
    public DateTimeOffset? SuspendedAt { get; set; }

    /// <summary>Creation time (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

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
}
