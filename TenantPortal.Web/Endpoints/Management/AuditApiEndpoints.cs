using System.Globalization;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Audit.Export;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// <c>GET /api/v1/audit</c>: the tenant's audit log, newest first, filtered and paged by cursor (<c>audit:read</c>); with
/// <c>format=csv|json</c>, the whole log in the range exported as a streamed file, oldest first (<c>audit_export</c>).
/// </summary>
public static class AuditApiEndpoints
{
    /// <summary>One audit entry.</summary>
    /// <param name="Id">The entry's id.</param>
    /// <param name="OccurredAt">When it happened (UTC).</param>
    /// <param name="Actor">Who did it, as shown in the portal (an email, "system", or an API key and its creator).</param>
    /// <param name="ActorUserId">The user id of the actor (for an API key, the user who created it), when any.</param>
    /// <param name="Action">What was done, e.g. <c>member.role_changed</c>.</param>
    /// <param name="Target">What it was done to, e.g. <c>member:ann@example.com</c>.</param>
    /// <param name="Details">Details, e.g. the old and new value or an operator's reason.</param>
    /// <param name="IpAddress">The client's address, when known.</param>
    public sealed record AuditEntryResponse(long Id, DateTimeOffset OccurredAt, string Actor, string? ActorUserId, string Action, string? Target,
        string? Details, string? IpAddress);

    /// <summary>Maps the route on the API group.</summary>
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).WithTags("Audit").WithName("ListAuditEntries").WithSummary("The tenant's audit log")
            .WithDescription("Newest first. Filters: action (prefix, e.g. member.), actor (part of the name or email), from and to (ISO-8601, [from, to)). Paged with limit (1–100) and cursor. "
                + "With format=csv or format=json (plans with audit_export; otherwise 403 feature_not_included) it exports instead: every entry of the range, oldest first, "
                + "as an attachment streamed while it is read (CSV: RFC 4180, UTF-8, a header row, cells that could start a spreadsheet formula prefixed with '; "
                + "JSON: one array of the items below). No from: from the first entry; no to: up to the export's start. The export is audited as audit.exported and "
                + "holds the log as it stood when it began (not its own entry). limit and cursor don't apply to an export.")
            .Produces<ApiPage<AuditEntryResponse>>().Produces(StatusCodes.Status200OK, typeof(string), "text/csv")
            .ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.MissingScope, ErrorCodes.FeatureNotIncluded)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.AuditRead));
        return api;
    }

    /// <summary><c>GET /api/v1/audit?action=&amp;actor=&amp;from=&amp;to=&amp;limit=&amp;cursor=</c>, or with <c>format=</c> the export.</summary>
    public static async Task<IResult> ListAsync(HttpContext http, AuditQueryService audit, AuditExportService exports, string? action, string? actor,
        string? from, string? to, string? limit, string? cursor, string? format, CancellationToken cancellationToken)
    {
        if (format is not null)
            return await ExportAsync(http, exports, format, action, actor, from, to, limit, cursor, cancellationToken);
        var page = ApiPaging.Parse(limit, cursor);
        if (!page.IsSuccess)
            return ApiProblems.From(page.Error!);
        var after = page.Value.After is { } key ? ParsePosition(key) : null;
        if (page.Value.After is not null && after is null)
            return ApiProblems.From(Error.Invalid("cursor", "cursor is not one this API returned; start again without it."));
        var filters = new[] { PlainText.Check(action, "action", "The action filter"), PlainText.Check(actor, "actor", "The actor filter") };
        if (filters.FirstOrDefault(r => !r.IsSuccess) is { } refused)
            return ApiProblems.From(refused.Error!);
        var fromTime = AuditExportHttp.ParseTime(from, "from");
        var toTime = AuditExportHttp.ParseTime(to, "to");
        if (new Result[] { fromTime, toTime }.FirstOrDefault(r => !r.IsSuccess) is { } invalid)
            return ApiProblems.From(invalid.Error!);
        if (fromTime.Value is { } f && toTime.Value is { } t && t <= f)
            return ApiProblems.From(Error.Invalid("to", "to must be after from."));

        var slice = await audit.PageAfterAsync(ApiCaller.Actor(http), new AuditFilter(action, actor, fromTime.Value, toTime.Value), after,
            page.Value.Limit, cancellationToken);
        if (!slice.IsSuccess)
            return ApiProblems.From(slice.Error!);
        var items = slice.Value.Entries;
        var next = slice.Value.HasMore ? ApiPaging.Encode(PositionOf(items[^1])) : null;
        return TypedResults.Ok(new ApiPage<AuditEntryResponse>(
            items.Select(e => new AuditEntryResponse(e.Id, e.OccurredAt, e.Actor, e.ActorUserId, e.Action, e.Target, e.Details, e.IpAddress)).ToList(), next));
    }

    // The export: checked, audited and named by the service before the first byte, then streamed; an error after that
    // (the database gone mid-file) can only cut the response short.
    private static async Task<IResult> ExportAsync(HttpContext http, AuditExportService exports, string format, string? action, string? actor,
        string? from, string? to, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is not null)
            return ApiProblems.From(Error.Invalid("limit", "limit pages the list; an export (format) holds every entry of the range."));
        if (cursor is not null)
            return ApiProblems.From(Error.Invalid("cursor", "cursor pages the list; an export (format) holds every entry of the range."));
        var request = AuditExportHttp.Parse(format, from, to, action, actor);
        if (!request.IsSuccess)
            return ApiProblems.From(request.Error!);
        var export = await exports.StartAsync(ApiCaller.Actor(http), request.Value, cancellationToken);
        if (!export.IsSuccess)
            return ApiProblems.From(export.Error!);
        await AuditExportHttp.WriteAsync(http, export.Value, cancellationToken);
        return TypedResults.Empty;
    }

    private static string PositionOf(Core.Audit.AuditEntry e) => $"{e.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{e.Id.ToString(CultureInfo.InvariantCulture)}";

    private static AuditPosition? ParsePosition(string key)
    {
        var parts = key.Split(':');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? new AuditPosition(new DateTimeOffset(ticks, TimeSpan.Zero), id)
            : null;
    }
}
