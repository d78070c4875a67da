using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.Invitations;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// <c>/api/v1/invitations</c>: the key's pending invitations, read with <c>members:read</c>, created, resent and revoked
/// with <c>members:write</c> through <see cref="InvitationService"/>, the service of the Users tab (seat quota, no one
/// invited above Admin by a key, the link emailed as the portal does).
/// </summary>
public static class InvitationsApiEndpoints
{
    private static readonly string[] CreateFields = ["email", "role", "expiresInDays"];

    // An id that isn't a GUID names no invitation: the same answer as an unknown one.
    private static readonly Error UnknownId = Error.NotFound("That invitation was not found.");

    /// <summary>A pending invitation as the API shows it.</summary>
    /// <param name="Id">The invitation's id (the <c>{id}</c> of its routes).</param>
    /// <param name="Email">Who is invited.</param>
    /// <param name="Role">The role they get on accepting.</param>
    /// <param name="Status">Always <c>Pending</c>: accepted, revoked and expired invitations are not listed.</param>
    /// <param name="InvitedAt">When it was last sent (a resend renews it).</param>
    /// <param name="ExpiresAt">When its link stops working.</param>
    /// <param name="SendCount">How many times it was sent.</param>
    public sealed record InvitationResponse(Guid Id, string Email, string Role, string Status, DateTimeOffset InvitedAt, DateTimeOffset ExpiresAt, int SendCount);

    /// <summary>The body of <c>POST /invitations</c>.</summary>
    /// <param name="Email">Who to invite.</param>
    /// <param name="Role">Their role: <c>Admin</c>, <c>Member</c> or <c>Viewer</c> (a key invites no Owner).</param>
    /// <param name="ExpiresInDays">How long the link works: 1–30 days, 7 when absent.</param>
    public sealed record InvitationCreate(string Email, string Role, int? ExpiresInDays);

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapInvitationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/invitations", ListAsync).WithTags("Invitations").WithName("ListInvitations").WithSummary("The tenant's pending invitations")
            .WithDescription("Needs members:read. Newest first (a resend moves an invitation to the top).")
            .Produces<ApiPage<InvitationResponse>>().ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.MembersRead));
        api.MapPost("/invitations", CreateAsync).WithTags("Invitations").WithName("CreateInvitation").WithSummary("Invite someone by email")
            .WithDescription("Needs members:write. Emails the invitation link. Refused when every seat of the plan is taken by members or held by pending invitations (seat_limit_reached, naming the email field), the person is a member (already_member) or has a pending invitation (already_invited), or the role is Owner (role_escalation: a key acts as an Admin).")
            .AcceptsJson<InvitationCreate>().Produces<InvitationResponse>(StatusCodes.Status201Created)
            .ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.RoleEscalation, ErrorCodes.AlreadyMember, ErrorCodes.AlreadyInvited, ErrorCodes.SeatLimitReached, ErrorCodes.MissingScope)
            .WithMetadata(new ApiExample("{\"email\":\"ada@example.com\",\"role\":\"Member\",\"expiresInDays\":7}"))
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.MembersWrite));
        api.MapPost("/invitations/{id}/resend", ResendAsync).WithTags("Invitations").WithName("ResendInvitation").WithSummary("Send a pending invitation again")
            .WithDescription("Needs members:write. Emails a new link (the old one stops working) valid for the invitation's original number of days from now.")
            .Produces<InvitationResponse>()
            .ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.Conflict, ErrorCodes.RoleEscalation, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.MembersWrite));
        api.MapDelete("/invitations/{id}", RevokeAsync).WithTags("Invitations").WithName("RevokeInvitation").WithSummary("Revoke a pending invitation")
            .WithDescription("Needs members:write. Its link stops working. An invitation no longer pending (accepted, revoked) is a conflict.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.Conflict, ErrorCodes.RoleEscalation, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.MembersWrite));
        return api;
    }

    /// <summary><c>GET /api/v1/invitations</c>.</summary>
    public static async Task<IResult> ListAsync(HttpContext http, InvitationService invitations, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = ApiPaging.Parse(limit, cursor);
        if (!page.IsSuccess)
            return ApiProblems.From(page.Error);
        var list = await invitations.ListPendingAsync(ApiCaller.Actor(http), cancellationToken);
        if (!list.IsSuccess)
            return ApiProblems.From(list.Error);
        var ordered = list.Value.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id).Select(ToResponse).ToList();
        var result = ApiPaging.Page(ordered, page.Value, i => i.Id.ToString());
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(result.Error);
    }

    /// <summary><c>POST /api/v1/invitations</c>.</summary>
    public static async Task<IResult> CreateAsync(HttpContext http, InvitationService invitations, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiBody.ReadObjectAsync(http.Request, CreateFields, cancellationToken);
        if (problem is not null)
            return problem;
        var email = ApiBody.RequiredString(body, "email");
        if (!email.IsSuccess)
            return ApiProblems.From(email.Error);
        var role = ApiBody.Choice<TenantRole>(body, "role", "Owner, Admin, Member or Viewer");
        if (!role.IsSuccess)
            return ApiProblems.From(role.Error);
        var days = ExpiresInDays(body);
        if (!days.IsSuccess)
            return ApiProblems.From(days.Error);

        var created = await invitations.CreateAsync(ApiCaller.Actor(http), new InviteRequest(email.Value, role.Value, days.Value), AcceptUrl(http), cancellationToken);
        if (!created.IsSuccess)
            return ApiProblems.From(created.Error);
        return TypedResults.Created($"/api/v1/invitations/{created.Value.Id}", ToResponse(created.Value));
    }

    /// <summary><c>POST /api/v1/invitations/{id}/resend</c>.</summary>
    public static async Task<IResult> ResendAsync(HttpContext http, InvitationService invitations, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var invitationId))
            return ApiProblems.From(UnknownId);
        var resent = await invitations.ResendAsync(ApiCaller.Actor(http), invitationId, AcceptUrl(http), cancellationToken);
        return resent.IsSuccess ? TypedResults.Ok(ToResponse(resent.Value)) : ApiProblems.From(resent.Error);
    }

    /// <summary><c>DELETE /api/v1/invitations/{id}</c>.</summary>
    public static async Task<IResult> RevokeAsync(HttpContext http, InvitationService invitations, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var invitationId))
            return ApiProblems.From(UnknownId);
        var revoked = await invitations.RevokeAsync(ApiCaller.Actor(http), invitationId, cancellationToken);
        return revoked.IsSuccess ? TypedResults.NoContent() : ApiProblems.From(revoked.Error);
    }

    // The portal's accept page on its public address (Portal:PublicUrl), never on the host the request named.
    private static Uri AcceptUrl(HttpContext http) => http.RequestServices.GetRequiredService<Security.PortalAddresses>().InvitationAcceptUrl;

    private static Result<int?> ExpiresInDays(JsonElement body)
    {
        if (!body.TryGetProperty("expiresInDays", out var value) || value.ValueKind == JsonValueKind.Null)
            return (int?)null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var days)
            ? days
            : Error.Invalid("expiresInDays", $"expiresInDays must be a whole number of days, 1 to {InviteRequest.MaxDays}.");
    }

    private static InvitationResponse ToResponse(InvitationRow i) =>
        new(i.Id, i.Email, i.Role.ToString(), "Pending", i.CreatedAt, i.ExpiresAt, i.SendCount);
}
