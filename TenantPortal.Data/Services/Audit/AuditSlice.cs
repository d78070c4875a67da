using TenantPortal.Core.Audit;

namespace TenantPortal.Data.Services.Audit;

/// <summary>A keyset page of the audit log: its entries, newest first, and whether older ones remain.</summary>
public sealed record AuditSlice(IReadOnlyList<AuditEntry> Entries, bool HasMore);
