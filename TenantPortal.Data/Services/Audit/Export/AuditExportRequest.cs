namespace TenantPortal.Data.Services.Audit.Export;

/// <summary>What to export: the format, and the filter of the log (time range [From, To), action prefix, actor).</summary>
public sealed record AuditExportRequest(AuditExportFormat Format, AuditFilter Filter);
