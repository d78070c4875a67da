using TenantPortal.Core.Billing;
using TenantPortal.Core.Common;

namespace TenantPortal.Core.Tenants;

// The tenant's monthly spend budget on overage: set and removed only through these methods, which hold its rules.
public partial class Tenant
{
    /// <summary>
    /// The monthly overage budget in cents, or null when the tenant has none. Set together with
    /// <see cref="SpendBudgetAction"/> (both or neither).
    /// </summary>
    public long? SpendBudgetCents { get; private set; }

    /// <summary>What the budget does when reached; null when the tenant has none.</summary>
    public BudgetAction? SpendBudgetAction { get; private set; }

    /// <summary>True when the tenant has a budget whose quota checks refuse past it.</summary>
    public bool BlocksPastSpendBudget => SpendBudgetAction == BudgetAction.Block && SpendBudgetCents is not null;

    /// <summary>
    /// Sets the monthly overage budget. Only plans that bill overage have one (Free has hard limits and never costs
    /// more); the amount is whole cents from 1 to <see cref="SpendBudgets.MaxCents"/>. True when something changed.
    /// </summary>
    public Result<bool> SetSpendBudget(long amountCents, BudgetAction action)
    {
        if (!PlanCatalog.For(Tier).OverageBilled)
            return new Error(ErrorCodes.Conflict, $"The {Tier} plan has hard limits and is never billed overage, so it has no spend budget. Upgrade to a paid plan to set one.");
        if (amountCents < 1)
            return Error.Invalid("amountCents", "The budget must be at least 1 cent.");
        if (amountCents > SpendBudgets.MaxCents)
            return Error.Invalid("amountCents", $"The budget can be at most {Money.Format(SpendBudgets.MaxCents)} ({SpendBudgets.MaxCents} cents).");
        if (!Enum.IsDefined(action))
            return Error.Invalid("action", "The action must be alert or block.");
        if (SpendBudgetCents == amountCents && SpendBudgetAction == action)
            return false;
        SpendBudgetCents = amountCents;
        SpendBudgetAction = action;
        return true;
    }

    /// <summary>Removes the budget; false when there was none.</summary>
    public bool RemoveSpendBudget()
    {
        if (SpendBudgetCents is null)
            return false;
        SpendBudgetCents = null;
        SpendBudgetAction = null;
        return true;
    }
}
