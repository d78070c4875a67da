namespace TenantPortal.Data.Services.Audit;

/// <summary>Where a page of the audit log ended: the time and id of its last (oldest) entry.</summary>
public sealed record AuditPosition(DateTimeOffset OccurredAt, long Id);
