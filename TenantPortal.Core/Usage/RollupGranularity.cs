namespace TenantPortal.Core.Usage;

/// <summary>The size of a rollup bucket.</summary>
public enum RollupGranularity
{
    /// <summary>One UTC hour.</summary>
    Hour = 0,
    /// <summary>One UTC day.</summary>
    Day = 1,
    /// <summary>One calendar month (UTC): the billing period.</summary>
    Month = 2,
}
