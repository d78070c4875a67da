using System.Globalization;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Services.Metering.Corrections;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// <c>/api/v1/usage/corrections</c>: corrections of reported usage (void, amend, backfill), applied with
/// <c>usage:write</c> and read with <c>usage:read</c>, through <see cref="UsageCorrectionService"/>.
/// </summary>
public static class UsageCorrectionsApiEndpoints
{
    /// <summary>A correction as the API shows it.</summary>
    /// <param name="Id">The correction id the caller chose.</param>
    /// <param name="Reason">Why it was made.</param>
    /// <param name="CreatedAt">When it was applied.</param>
    /// <param name="CreatedBy">Who applied it: the API key and its creator, or the user.</param>
    /// <param name="RevertedAt">When it was reverted; null while it counts.</param>
    /// <param name="RevertedBy">Who reverted it.</param>
    /// <param name="RevertReason">Why it was reverted, when given.</param>
    /// <param name="Events">Its events, in the request's order.</param>
    public sealed record UsageCorrectionResponse(string Id, string Reason, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevertedAt,
        string? RevertedBy, string? RevertReason, IReadOnlyList<UsageCorrectionEventResponse> Events);

    /// <summary>One event of a correction.</summary>
    /// <param name="EventId">The event's id.</param>
    /// <param name="Action"><c>void</c>, <c>amend</c> or <c>backfill</c>.</param>
    /// <param name="Metric">The event's metric.</param>
    /// <param name="Timestamp">The event's time.</param>
    /// <param name="QuantityBefore">What it counted before (0 for a backfill).</param>
    /// <param name="QuantityAfter">What it counts with the correction (0 for a void).</param>
    /// <param name="Delta">After minus before.</param>
    public sealed record UsageCorrectionEventResponse(string EventId, string Action, string Metric, DateTimeOffset Timestamp,
        decimal QuantityBefore, decimal QuantityAfter, decimal Delta);

    /// <summary>The body of <c>POST /usage/corrections</c>.</summary>
    /// <param name="Id">Your id for the correction (unique per tenant; the same id again returns the first result).</param>
    /// <param name="Reason">Why, 1–500 characters (kept in the audit log).</param>
    /// <param name="Events">1 to 1,000 events, each changed once.</param>
    public sealed record UsageCorrectionCreate(string Id, string Reason, IReadOnlyList<UsageCorrectionCreateEvent> Events);

    /// <summary>One event of a correction request.</summary>
    /// <param name="EventId">The event's id (for a backfill, a new one).</param>
    /// <param name="Action"><c>void</c>, <c>amend</c> or <c>backfill</c>.</param>
    /// <param name="Quantity">Amend: what the event counts from now on; backfill: the new event's quantity.</param>
    /// <param name="Metric">Backfill only: <c>api_calls</c> or <c>gpu_hours</c>.</param>
    /// <param name="Timestamp">Backfill only: when the usage happened (at most 366 days ago).</param>
    public sealed record UsageCorrectionCreateEvent(string EventId, string Action, decimal? Quantity, string? Metric, DateTimeOffset? Timestamp);

    private const string Tag = "Usage corrections";

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapUsageCorrectionsApi(this RouteGroupBuilder api)
    {
        const string Route = "/usage/corrections";
        api.MapPost(Route, CreateAsync).WithTags(Tag).WithName("CreateUsageCorrection").WithSummary("Correct reported usage: void, amend or backfill events")
            .WithDescription("Needs usage:write. Applied whole or not at all, at once: quota checks, the current usage and the running estimate count it "
                + "straight away, the rollups within a minute. Originals are never changed: the correction is its own record, its effect "
                + "compensating events. 201 with the correction; the same id with the same body again is 200 with the first result (nothing "
                + "applied twice), with another body 409 (id naming it). 422 naming the event (events[i].eventId, .action, .quantity): an unknown "
                + "event (another tenant's is unknown too), a gauge reading (storage_gb and studies are levels: report a new reading), an event "
                + "named twice, a negative quantity or one with more than 6 decimals, a backfill of an existing id or older than 366 days. 409 "
                + "naming the event when another correction holds it (revert that one first).")
            .AcceptsJson<UsageCorrectionCreate>()
            .Produces<UsageCorrectionResponse>(StatusCodes.Status201Created).Produces<UsageCorrectionResponse>()
            .ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.Conflict, ErrorCodes.MissingScope)
            .WithMetadata(new ApiExample("{\"id\":\"fix-2026-11-17\",\"reason\":\"Duplicate job reports\",\"events\":[{\"eventId\":\"e-17\",\"action\":\"void\"},{\"eventId\":\"e-18\",\"action\":\"amend\",\"quantity\":3}]}"))
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.UsageWrite));
        api.MapGet(Route, ListAsync).WithTags(Tag).WithName("ListUsageCorrections").WithSummary("The tenant's usage corrections")
            .WithDescription("Needs usage:read. Newest first, reverted ones included (revertedAt set). Paged by limit (1-100, default 50) and cursor.")
            .Produces<ApiPage<UsageCorrectionResponse>>().ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.UsageRead));
        api.MapGet(Route + "/{id}", GetAsync).WithTags(Tag).WithName("GetUsageCorrection").WithSummary("One usage correction")
            .WithDescription("Needs usage:read.")
            .Produces<UsageCorrectionResponse>().ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.UsageRead));
        api.MapDelete(Route + "/{id}", RevertAsync).WithTags(Tag).WithName("RevertUsageCorrection").WithSummary("Revert a usage correction")
            .WithDescription("Needs usage:write. Its events count as before (the opposite compensating events are appended) and can be corrected "
                + "again. 200 with the reverted correction; a correction reverted already is a 409. Optional query parameter reason (1-500 characters), kept in the audit log.")
            .Produces<UsageCorrectionResponse>().ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.Conflict, ErrorCodes.Invalid, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.UsageWrite));
        return api;
    }

    /// <summary><c>POST /api/v1/usage/corrections</c>.</summary>
    public static async Task<IResult> CreateAsync(HttpContext http, UsageCorrectionService corrections, CancellationToken cancellationToken)
    {
        var (request, problem) = await UsageCorrectionParser.ParseAsync(http.Request, cancellationToken);
        if (problem is not null)
            return problem;
        var created = await corrections.CreateAsync(ApiCaller.Actor(http), request!, cancellationToken);
        if (!created.IsSuccess)
            return ApiProblems.From(created.Error!);
        var body = ToResponse(created.Value.Correction);
        return created.Value.Created
            ? TypedResults.Created($"/api/v1/usage/corrections/{Uri.EscapeDataString(body.Id)}", body)
            : TypedResults.Ok(body);
    }

    /// <summary><c>GET /api/v1/usage/corrections</c>.</summary>
    public static async Task<IResult> ListAsync(HttpContext http, UsageCorrectionService corrections, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = ApiPaging.Parse(limit, cursor);
        if (!page.IsSuccess)
            return ApiProblems.From(page.Error!);
        long? after = null;
        if (page.Value.After is { } key)
        {
            if (!long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var row))
                return ApiProblems.From(Error.Invalid("cursor", "cursor is not one this API returned; start again without it."));
            after = row;
        }
        var list = await corrections.ListAsync(ApiCaller.Actor(http), after, page.Value.Limit, cancellationToken);
        if (!list.IsSuccess)
            return ApiProblems.From(list.Error!);
        var next = list.Value.NextAfter is { } n ? ApiPaging.Encode(n.ToString(CultureInfo.InvariantCulture)) : null;
        return TypedResults.Ok(new ApiPage<UsageCorrectionResponse>(list.Value.Items.Select(ToResponse).ToList(), next));
    }

    /// <summary><c>GET /api/v1/usage/corrections/{id}</c>.</summary>
    public static async Task<IResult> GetAsync(HttpContext http, UsageCorrectionService corrections, string id, CancellationToken cancellationToken)
    {
        var found = await corrections.GetAsync(ApiCaller.Actor(http), id, cancellationToken);
        return found.IsSuccess ? TypedResults.Ok(ToResponse(found.Value)) : ApiProblems.From(found.Error!);
    }

    /// <summary><c>DELETE /api/v1/usage/corrections/{id}</c>.</summary>
    public static async Task<IResult> RevertAsync(HttpContext http, UsageCorrectionService corrections, string id, string? reason, CancellationToken cancellationToken)
    {
        var reverted = await corrections.RevertAsync(ApiCaller.Actor(http), id, reason, cancellationToken);
        return reverted.IsSuccess ? TypedResults.Ok(ToResponse(reverted.Value)) : ApiProblems.From(reverted.Error!);
    }

    private static UsageCorrectionResponse ToResponse(UsageCorrectionView c) =>
        new(c.Id, c.Reason, c.CreatedAt, c.CreatedBy, c.RevertedAt, c.RevertedBy, c.RevertReason,
            c.Events.Select(e => new UsageCorrectionEventResponse(e.EventId, UsageCorrectionParser.ActionName(e.Action), UsageMetrics.Name(e.Metric),
                e.Timestamp, e.QuantityBefore, e.QuantityAfter, e.Delta)).ToList());
}
