namespace TenantPortal.Data.Services.Metering;

/// <summary>Why a quota check says no (the <c>reason</c> of the API).</summary>
public static class QuotaDenial
{
    /// <summary>The quota is a hard limit and the amount would pass it.</summary>
    public const string QuotaExceeded = "quota_exceeded";
    /// <summary>The trial of a paid tier ended without a subscription.</summary>
    public const string TrialExpired = "trial_expired";
    /// <summary>The tenant is suspended (unpaid, or by an operator).</summary>
    public const string Suspended = "suspended";
    /// <summary>The subscription ended.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>The tenant's blocking spend budget: the amount would take the period's overage cost past it.</summary>
    public const string BudgetExceeded = "budget_exceeded";
}
