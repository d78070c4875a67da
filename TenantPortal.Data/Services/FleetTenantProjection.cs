using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services;

/// <summary>
/// A tenant with the figures the fleet list filters and sorts by, as an EF projection: every member is an SQL
/// expression, so that filters, sorting and paging over it run in the database.
/// </summary>
internal sealed class FleetTenantProjection
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Slug { get; init; } = "";
    public SubscriptionTier Tier { get; init; }
    public int TierRank { get; init; }
    public TenantStatus Status { get; init; }
    public int StatusRank { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? TrialEndsAt { get; init; }
    public int Members { get; init; }
    public long MrrCents { get; init; }
    public double? ApiCallsPercent { get; init; }
    public double? StoragePercent { get; init; }
    public double? GpuHoursPercent { get; init; }
    public double? MaxPercent { get; init; }
}
