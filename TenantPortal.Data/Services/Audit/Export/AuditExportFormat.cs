namespace TenantPortal.Data.Services.Audit.Export;

/// <summary>The file formats of an audit log export.</summary>
public enum AuditExportFormat
{
    /// <summary>RFC 4180 CSV, UTF-8 without a byte-order mark, CRLF line ends, a header row.</summary>
    Csv,
    /// <summary>One JSON array of entries, with the fields of the paged API.</summary>
    Json,
}
