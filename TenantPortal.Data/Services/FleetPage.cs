namespace TenantPortal.Data.Services;

/// <summary>One page of the fleet list and the number of tenants matching the filters.</summary>
/// <param name="Rows">The page.</param>
/// <param name="Total">All matching tenants.</param>
public sealed record FleetPage(IReadOnlyList<FleetTenantRow> Rows, int Total);
