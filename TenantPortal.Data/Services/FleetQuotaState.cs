namespace TenantPortal.Data.Services;

/// <summary>How close a tenant is to its priced quotas (API calls, storage, GPU hours) this period, as a fleet filter.</summary>
public enum FleetQuotaState
{
    /// <summary>No filter.</summary>
    Any = 0,

    /// <summary>At least one priced metric at 90 % of its quota or more (the red band).</summary>
    AtLeast90Percent = 1,

    /// <summary>At least one priced metric at 100 % of its quota or more.</summary>
    AtLeast100Percent = 2,
}
