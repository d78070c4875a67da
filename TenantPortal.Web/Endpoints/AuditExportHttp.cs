using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Audit.Export;

namespace TenantPortal.Web.Endpoints;

/// <summary>The query of an audit export and its streamed response, shared by the API, the Settings download and the operators' export.</summary>
public static class AuditExportHttp
{
    /// <summary>
    /// The export asked for by <c>format</c> (csv or json), <c>from</c> and <c>to</c> (ISO-8601, UTC unless an offset is
    /// given; [from, to); either may be left out), <c>action</c> (prefix) and <c>actor</c> (part of it). Bad input names its field.
    /// </summary>
    public static Result<AuditExportRequest> Parse(string? format, string? from, string? to, string? action, string? actor)
    {
        var parsedFormat = AuditExportFormats.Parse(format);
        if (!parsedFormat.IsSuccess)
            return parsedFormat.Error;
        var fromTime = ParseTime(from, "from");
        if (!fromTime.IsSuccess)
            return fromTime.Error;
        var toTime = ParseTime(to, "to");
        if (!toTime.IsSuccess)
            return toTime.Error;
        return new AuditExportRequest(parsedFormat.Value, new AuditFilter(action, actor, fromTime.Value, toTime.Value));
    }

    /// <summary>An optional ISO-8601 time (UTC unless it carries an offset); anything else is refused, naming the field.</summary>
    public static Result<DateTimeOffset?> ParseTime(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            return (DateTimeOffset?)null;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? (DateTimeOffset?)time
            : Error.Invalid(field, $"{field} must be an ISO-8601 time, e.g. 2026-11-01T00:00:00Z.");
    }

    /// <summary>
    /// Streams the export as an attachment: the headers first, then the file a batch at a time, with the response's
    /// buffering turned off so that each batch leaves as it is written.
    /// </summary>
    public static async Task WriteAsync(HttpContext http, AuditExport export, CancellationToken cancellationToken)
    {
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = export.ContentType;
        // The name is a slug, dates and an extension: nothing to escape inside the quotes.
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{export.FileName}\"";
        http.Response.Headers.CacheControl = "no-store";
        await export.WriteToAsync(http.Response.Body, cancellationToken);
    }
}
