using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Budgets;

/// <summary>
/// A tenant's spend budget and where the running period stands against it: the overage cost so far (as the invoice would
/// bill it, to the cent), the share of the budget it uses and the alerts fired this period.
/// </summary>
/// <param name="AmountCents">The monthly overage budget in cents; null when the tenant has none.</param>
/// <param name="Action">What the budget does; null when there is none.</param>
/// <param name="PeriodStart">The running period's start (calendar month, UTC).</param>
/// <param name="PeriodEnd">Its end: the budget re-arms then.</param>
/// <param name="OverageCents">The period's overage cost so far, in cents.</param>
/// <param name="Percent">The overage cost as a percentage of the budget (two decimals, may pass 100); null without a budget.</param>
/// <param name="AlertsSent">The thresholds (50, 80, 100) alerted this period, lowest first.</param>
/// <param name="Available">False on a plan without overage billing (Free): no budget can be set there.</param>
/// <param name="Role">The reader's role (an operator reads as Admin: read-only); only an Owner changes the budget.</param>
public sealed record SpendBudgetStatus(long? AmountCents, BudgetAction? Action, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, long OverageCents,
    decimal? Percent, IReadOnlyList<int> AlertsSent, bool Available, TenantRole Role)
{
    /// <summary>True when the reader may set or remove the budget.</summary>
    public bool CanManage => Role == TenantRole.Owner;
}
