using TenantPortal.Core.Billing;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Billing;

/// <summary>What choosing a plan would do, before it is confirmed.</summary>
/// <param name="Tier">The plan chosen.</param>
/// <param name="Cycle">The cycle chosen.</param>
/// <param name="Kind">Subscribe, upgrade, downgrade, switch to Free, or the same plan.</param>
/// <param name="EffectiveAt">When it takes effect.</param>
/// <param name="PriceCents">The new plan's price per cycle.</param>
/// <param name="ProrationCents">How much the running period's invoice changes (negative for a credit).</param>
/// <param name="UpcomingTotalCents">The running period's invoice total after the change (usage so far).</param>
/// <param name="Blockers">Why a downgrade is refused (usage above the lower plan's hard limits); empty when allowed.</param>
/// <param name="RequiresCheckout">True when the owner is sent to Stripe Checkout to pay.</param>
/// <param name="Summary">One sentence saying what happens.</param>
public sealed record PlanChangePreview(SubscriptionTier Tier, BillingCycle Cycle, PlanChangeKind Kind, DateTimeOffset EffectiveAt, long PriceCents,
    long ProrationCents, long UpcomingTotalCents, IReadOnlyList<string> Blockers, bool RequiresCheckout, string Summary)
{
    /// <summary>True when the change can be confirmed.</summary>
    public bool Allowed => Blockers.Count == 0 && Kind != PlanChangeKind.Same;
}
