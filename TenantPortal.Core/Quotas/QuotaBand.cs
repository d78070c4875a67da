namespace TenantPortal.Core.Quotas;

/// <summary>The colour of a usage bar: green below 70 %, yellow from 70 % to below 90 %, red from 90 %.</summary>
public enum QuotaBand
{
    /// <summary>Below 70 % (also unlimited quotas).</summary>
    Green = 0,
    /// <summary>70 % to below 90 %.</summary>
    Yellow = 1,
    /// <summary>90 % and above.</summary>
    Red = 2,
}
