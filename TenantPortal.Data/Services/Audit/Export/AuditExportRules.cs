using System.Globalization;
using System.Text;
using TenantPortal.Core.Common;

namespace TenantPortal.Data.Services.Audit.Export;

/// <summary>The checks, file names and audit details shared by the tenant's and the fleet's export.</summary>
internal static class AuditExportRules
{
    /// <summary>The refusal of a range whose end is not after its start, or of filter text the portal never stores; or null.</summary>
    public static Error? Check(AuditExportRequest request)
    {
        if (!Enum.IsDefined(request.Format))
            return Error.Invalid(AuditExportFormats.Field, "format must be csv or json.");
        var filter = request.Filter;
        if (filter.From is { } from && filter.To is { } to && to <= from)
            return Error.Invalid("to", "to must be after from.");
        if (PlainText.Check(filter.Action, "action", "The action filter") is { IsSuccess: false } action)
            return action.Error;
        if (PlainText.Check(filter.Actor, "actor", "The actor filter") is { IsSuccess: false } actor)
            return actor.Error;
        return null;
    }

    /// <summary>
    /// <c>{prefix}-audit-{from}-{to}.{ext}</c> with UTC dates: from is <c>start</c> when the range has no start, to is the
    /// day the export began when it has no end (e.g. <c>acme-audit-2026-11-01-2026-12-01.csv</c>).
    /// </summary>
    public static string FileName(string prefix, AuditExportRequest request, DateTimeOffset now)
    {
        var from = request.Filter.From is { } f ? Day(f) : "start";
        var to = Day(request.Filter.To ?? now);
        return $"{prefix}-audit-{from}-{to}.{AuditExportFormats.Extension(request.Format)}";
    }

    /// <summary>What the audit entry of an export says: format, range and filters.</summary>
    public static string Details(AuditExportRequest request, long lastId)
    {
        var filter = request.Filter;
        var text = new StringBuilder($"Exported as {AuditExportFormats.Extension(request.Format)}: ");
        text.Append(filter.From is { } f ? $"from {Time(f)}" : "from the first entry");
        text.Append(filter.To is { } t ? $" to {Time(t)} (exclusive)" : " to the latest");
        if (!string.IsNullOrWhiteSpace(filter.Action))
            text.Append(CultureInfo.InvariantCulture, $", action {filter.Action.Trim()}");
        if (!string.IsNullOrWhiteSpace(filter.Actor))
            text.Append(CultureInfo.InvariantCulture, $", actor containing {filter.Actor.Trim()}");
        text.Append(CultureInfo.InvariantCulture, $"; entries up to id {lastId}.");
        return text.ToString();
    }

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
