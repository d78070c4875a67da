using TenantPortal.Core.Audit;

namespace TenantPortal.Data.Services.Audit;

/// <summary>One entry of the fleet's audit log, with the slug of its tenant (null for fleet-level entries).</summary>
public sealed record FleetAuditRow(AuditEntry Entry, string? TenantSlug);
