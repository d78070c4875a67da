using TenantPortal.Core.Common;

namespace TenantPortal.Data.Services.Audit.Export;

/// <summary>The names, file extensions and media types of <see cref="AuditExportFormat"/>.</summary>
public static class AuditExportFormats
{
    /// <summary>The field an unknown format's error names.</summary>
    public const string Field = "format";

    /// <summary>The format named <paramref name="name"/> (<c>csv</c> or <c>json</c>, any case); anything else is refused, naming the field.</summary>
    public static Result<AuditExportFormat> Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "csv" => AuditExportFormat.Csv,
        "json" => AuditExportFormat.Json,
        _ => Error.Invalid(Field, "format must be csv or json."),
    };

    /// <summary>The file extension, without the dot.</summary>
    public static string Extension(AuditExportFormat format) => format == AuditExportFormat.Csv ? "csv" : "json";

    /// <summary>The media type of the response.</summary>
    public static string ContentType(AuditExportFormat format) =>
        format == AuditExportFormat.Csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
}
