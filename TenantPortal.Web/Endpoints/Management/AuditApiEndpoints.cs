using System.Globalization;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary><c>GET /api/v1/audit</c>: the tenant's audit log, newest first, filtered and paged by cursor (<c>audit:read</c>).</summary>
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
            .WithDescription("Newest first. Filters: action (prefix, e.g. member.), actor (part of the name or email), from and to (ISO-8601, [from, to)). Paged with limit (1–100) and cursor.")
            .Produces<ApiPage<AuditEntryResponse>>().ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.AuditRead));
        return api;
    }

    /// <summary><c>GET /api/v1/audit?action=&amp;actor=&amp;from=&amp;to=&amp;limit=&amp;cursor=</c>.</summary>
    public static async Task<IResult> ListAsync(HttpContext http, AuditQueryService audit, string? action, string? actor, string? from, string? to,
        string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = ApiPaging.Parse(limit, cursor);
        if (!page.IsSuccess)
            return ApiProblems.From(page.Error!);
        var after = page.Value.After is { } key ? ParsePosition(key) : null;
        if (page.Value.After is not null && after is null)
            return ApiProblems.From(Error.Invalid("cursor", "cursor is not one this API returned; start again without it."));
        var filters = new[] { PlainText.Check(action, "action", "The action filter"), PlainText.Check(actor, "actor", "The actor filter") };
        if (filters.FirstOrDefault(r => !r.IsSuccess) is { } refused)
            return ApiProblems.From(refused.Error!);
        var fromTime = ParseTime(from, "from");
        var toTime = ParseTime(to, "to");
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

    private static string PositionOf(Core.Audit.AuditEntry e) => $"{e.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{e.Id.ToString(CultureInfo.InvariantCulture)}";

    private static AuditPosition? ParsePosition(string key)
    {
        var parts = key.Split(':');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? new AuditPosition(new DateTimeOffset(ticks, TimeSpan.Zero), id)
            : null;
    }

    private static Result<DateTimeOffset?> ParseTime(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            return (DateTimeOffset?)null;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? (DateTimeOffset?)time
            : Error.Invalid(field, $"{field} must be an ISO-8601 time, e.g. 2026-11-01T00:00:00Z.");
    }
}
