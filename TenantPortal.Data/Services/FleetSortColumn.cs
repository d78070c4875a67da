namespace TenantPortal.Data.Services;

/// <summary>The columns the fleet list can be sorted by.</summary>
public enum FleetSortColumn
{
    /// <summary>Display name.</summary>
    Name = 0,

    /// <summary>URL name.</summary>
    Slug = 1,

    /// <summary>Plan, cheapest first.</summary>
    Tier = 2,

    /// <summary>Lifecycle state, in the order of <see cref="Core.Tenants.TenantStatus"/>.</summary>
    Status = 3,

    /// <summary>Number of members.</summary>
    Members = 4,

    /// <summary>This period's share of the API call quota (unlimited sorts lowest).</summary>
    ApiCallsPercent = 5,

    /// <summary>The share of the storage quota (unlimited sorts lowest).</summary>
    StoragePercent = 6,

    /// <summary>This period's share of the GPU hour quota (unlimited sorts lowest).</summary>
    GpuHoursPercent = 7,

    /// <summary>Monthly recurring revenue.</summary>
    Mrr = 8,

    /// <summary>Creation time.</summary>
    Created = 9,
}
