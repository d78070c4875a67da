namespace TenantPortal.Data.Services.Audit;

/// <summary>One page of the fleet's audit log, newest first, and how many entries match in all.</summary>
public sealed record FleetAuditPage(IReadOnlyList<FleetAuditRow> Rows, int Total);
