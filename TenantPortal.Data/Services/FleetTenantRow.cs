using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services;

/// <summary>A tenant as the operators' fleet list shows it.</summary>
/// <param name="Id">Tenant id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Slug">URL name.</param>
/// <param name="Tier">Plan.</param>
/// <param name="Status">Lifecycle state.</param>
/// <param name="Members">Number of members.</param>
/// <param name="MrrCents">Monthly recurring revenue in cents (0 unless Active or PastDue; annual cycles count a twelfth).</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="ApiCallsPercent">This period's API calls as a share of the quota, in percent; null when unlimited.</param>
/// <param name="StoragePercent">The current storage level as a share of the quota, in percent; null when unlimited.</param>
/// <param name="GpuHoursPercent">This period's GPU hours as a share of the quota, in percent; null when unlimited.</param>
/// <param name="TrialEndsAt">When the trial ends, if any.</param>
public sealed record FleetTenantRow(
    Guid Id, string Name, string Slug, SubscriptionTier Tier, TenantStatus Status, int Members, long MrrCents, DateTimeOffset CreatedAt,
    decimal? ApiCallsPercent = null, decimal? StoragePercent = null, decimal? GpuHoursPercent = null, DateTimeOffset? TrialEndsAt = null);
