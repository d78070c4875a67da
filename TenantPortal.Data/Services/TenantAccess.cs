using TenantPortal.Core.Authorization;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services;

/// <summary>
/// What a signed-in user may do in one tenant: the tenant's essentials, the user's role there, and whether the tenant
/// requires its Owners to sign in with two-factor authentication.
/// </summary>
public sealed record TenantAccess(Guid TenantId, string Slug, string Name, SubscriptionTier Tier, TenantStatus Status, TenantRole Role,
    bool OwnersNeedTwoFactor = false)
{
    /// <summary>True when the role allows the action.</summary>
    public bool Can(TenantPermission permission) => RolePolicy.Allows(Role, permission);
}
