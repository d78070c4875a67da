namespace TenantPortal.Core.Tenants;

/// <summary>What a tenant's spend budget does when the period's overage cost reaches it.</summary>
public enum BudgetAction
{
    /// <summary>Alerts at 50, 80 and 100 % of the budget; nothing is refused.</summary>
    Alert = 0,

    /// <summary>Alerts, and quota checks whose amount would take the overage cost past the budget are refused (<c>budget_exceeded</c>).</summary>
    Block = 1,
}
