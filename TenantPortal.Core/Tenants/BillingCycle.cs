namespace TenantPortal.Core.Tenants;

/// <summary>How often a tenant pays its base price. Annual costs 10 times the monthly price.</summary>
public enum BillingCycle
{
    /// <summary>Every calendar month.</summary>
    Monthly = 0,
    /// <summary>Once a year, at 10 x the monthly price.</summary>
    Annual = 1,
}
