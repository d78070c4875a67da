using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Tenants;

/// <summary>A tenant's details as the Settings tab shows them.</summary>
public sealed record TenantDetails(
    Guid Id, string Name, string Slug, string? BillingEmail, string? CustomDomain, SubscriptionTier Tier, TenantStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset? TrialEndsAt, Guid ConcurrencyStamp)
{
    /// <summary>True when the tenant's Owners must sign in with two-factor authentication.</summary>
    public bool RequireOwnerTwoFactor { get; init; }

    /// <summary>When the custom domain was verified; null while it is unverified (it does not route until then).</summary>
    public DateTimeOffset? CustomDomainVerifiedAt { get; init; }
}
