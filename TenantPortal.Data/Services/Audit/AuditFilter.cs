namespace TenantPortal.Data.Services.Audit;

/// <summary>What to look for in the audit log; every part optional.</summary>
public sealed record AuditFilter(string? Action = null, string? Actor = null, DateTimeOffset? From = null, DateTimeOffset? To = null);
