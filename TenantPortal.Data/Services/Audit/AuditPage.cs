using TenantPortal.Core.Audit;

namespace TenantPortal.Data.Services.Audit;

/// <summary>One page of audit entries, newest first, and how many match in all.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total);
