using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Data.Services.Billing.Credits;

/// <summary>
/// Whether a tenant may buy credits: the <c>credits</c> entitlement (its plan's value, or an operator's override), asked
/// of the entitlement service like every entitlement the portal enforces. Operators' grants don't depend on it.
/// </summary>
internal static class CreditPurchases
{
    /// <summary>True when the tenant's <c>credits</c> entitlement is enabled.</summary>
    public static async Task<bool> AllowedAsync(EntitlementService entitlements, Guid tenantId, CancellationToken cancellationToken)
    {
        var entitlement = await entitlements.CheckAsync(tenantId, EntitlementFeatures.Credits, cancellationToken);
        return entitlement.IsSuccess && entitlement.Value.Enabled;
    }

    /// <summary>Why a tenant on <paramref name="tier"/> can't buy credits.</summary>
    public static string NotIncluded(SubscriptionTier tier) =>
        $"Prepaid credits are not included in the {tier} plan. Choose a paid plan to buy credits.";
}
