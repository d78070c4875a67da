using Microsoft.AspNetCore.Components;
using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;

namespace TenantPortal.Web.Components.Tenant.Billing;

/// <summary>A plan card of the plan chooser.</summary>
public partial class PlanOption
{
    /// <summary>The plan.</summary>
    [Parameter, EditorRequired] public Plan Plan { get; set; } = default!;

    /// <summary>The billing cycle whose price is shown.</summary>
    [Parameter] public BillingCycle Cycle { get; set; }

    /// <summary>True for the tenant's current plan.</summary>
    [Parameter] public bool IsCurrent { get; set; }

    /// <summary>True when this plan is the one chosen.</summary>
    [Parameter] public bool Selected { get; set; }

    /// <summary>The features the plan includes, in order (from the entitlement configuration); none shown when empty.</summary>
    [Parameter] public IReadOnlyList<(EntitlementFeature Feature, EntitlementValue Value)> Features { get; set; } = [];

    /// <summary>Chooses this plan.</summary>
    [Parameter] public EventCallback OnSelect { get; set; }

    private long PriceCents => Plan.PriceCents(Plan.MonthlyPriceCents == 0 ? BillingCycle.Monthly : Cycle);

    private bool ShowsSaving => Cycle == BillingCycle.Annual && Plan.MonthlyPriceCents > 0;

    private string PriceNote => Plan.MonthlyPriceCents == 0
        ? "Free forever"
        : ShowsSaving
            ? $"2 months free: {Money.Format(Plan.MonthlyPriceCents * 12 - Plan.AnnualPriceCents)} less than 12 months"
            : $"or {Money.Format(Plan.AnnualPriceCents)} / year with annual billing";

    private string OverageNote
    {
        get
        {
            if (!Plan.OverageBilled)
                return "Hard limit: usage beyond a quota is refused.";
            var priced = UsageMetrics.All.Where(m => !Plan.IsUnlimited(m) && Plan.AllowsOverage(m)).ToList();
            if (priced.Count == 0)
                return "No overage: every quota is unlimited.";
            return "Beyond the quota: " + string.Join(", ", priced.Select(m => BillingFormat.OveragePrice(m))) + "; seats and studies are hard limits.";
        }
    }

    private string CssClass => "pa-4 plan-option" + (Selected ? " plan-option-selected" : "") + (IsCurrent ? " plan-option-current" : "");
}
