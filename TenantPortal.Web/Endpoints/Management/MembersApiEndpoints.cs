using System.Text.Json.Serialization;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.Members;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// <c>/api/v1/members</c>: the key's team, read with <c>members:read</c>, roles changed and members removed with
/// <c>members:write</c> through <see cref="MemberService"/>, the service the Users tab uses (a key acts as an Admin: it
/// makes no one an Owner and never touches an Owner).
/// </summary>
public static class MembersApiEndpoints
{
    private static readonly string[] PatchFields = ["role"];

    /// <summary>A member as the API shows it.</summary>
    /// <param name="UserId">The member's user id (the <c>{userId}</c> of the member's routes).</param>
    /// <param name="Email">Their email.</param>
    /// <param name="DisplayName">Their display name, when they set one.</param>
    /// <param name="Role">Their role: <c>Owner</c>, <c>Admin</c>, <c>Member</c> or <c>Viewer</c>.</param>
    /// <param name="JoinedAt">When they joined the tenant.</param>
    /// <param name="ETag">The member's version: send it as <c>If-Match</c> when changing their role.</param>
    public sealed record MemberResponse(string UserId, string Email, string? DisplayName, string Role, DateTimeOffset JoinedAt, [property: JsonPropertyName("etag")] string ETag);

    /// <summary>The body of <c>PATCH /members/{userId}</c>.</summary>
    /// <param name="Role">The new role: <c>Admin</c>, <c>Member</c> or <c>Viewer</c> (a key makes no one an Owner).</param>
    public sealed record MemberPatch(string Role);

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapMembersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/members", ListAsync).WithTags("Members").WithName("ListMembers").WithSummary("The tenant's members")
            .WithDescription("Needs members:read. Ordered by joinedAt, then userId. Each item carries its etag, to send as If-Match when changing the member's role.")
            .Produces<ApiPage<MemberResponse>>().ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.MembersRead));
        api.MapPatch("/members/{userId}", PatchAsync).WithTags("Members").WithName("ChangeMemberRole").WithSummary("Change a member's role")
            .WithDescription("Needs members:write. A key acts as an Admin: it can't make anyone an Owner (role_escalation) or change an Owner's role (forbidden). With If-Match, refused with 412 when the member changed since that ETag.")
            .AcceptsJson<MemberPatch>().Produces<MemberResponse>()
            .ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.NotFound, ErrorCodes.Forbidden, ErrorCodes.RoleEscalation, ErrorCodes.PreconditionFailed, ErrorCodes.MissingScope)
            .WithMetadata(new ApiExample("{\"role\":\"Admin\"}"))
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.MembersWrite));
        api.MapDelete("/members/{userId}", DeleteAsync).WithTags("Members").WithName("RemoveMember").WithSummary("Remove a member")
            .WithDescription("Needs members:write. A key acts as an Admin: it can't remove an Owner (forbidden). The member who created the key may be removed by it like anyone else. With If-Match, refused with 412 when the member changed since that ETag.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.Forbidden, ErrorCodes.PreconditionFailed, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.MembersWrite));
        return api;
    }

    /// <summary><c>GET /api/v1/members</c>.</summary>
    public static async Task<IResult> ListAsync(HttpContext http, MemberService members, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = ApiPaging.Parse(limit, cursor);
        if (!page.IsSuccess)
            return ApiProblems.From(page.Error);
        var list = await members.ListAsync(ApiCaller.Actor(http), cancellationToken);
        if (!list.IsSuccess)
            return ApiProblems.From(list.Error);
        var ordered = list.Value.OrderBy(m => m.JoinedAt).ThenBy(m => m.UserId, StringComparer.Ordinal).Select(ToResponse).ToList();
        var result = ApiPaging.Page(ordered, page.Value, m => m.UserId);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(result.Error);
    }

    /// <summary><c>PATCH /api/v1/members/{userId}</c>.</summary>
    public static async Task<IResult> PatchAsync(HttpContext http, MemberService members, string userId, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiBody.ReadObjectAsync(http.Request, PatchFields, cancellationToken);
        if (problem is not null)
            return problem;
        var role = ApiBody.Choice<TenantRole>(body, "role", "Owner, Admin, Member or Viewer");
        if (!role.IsSuccess)
            return ApiProblems.From(role.Error);
        var changed = await members.ChangeRoleAsync(ApiCaller.Actor(http), userId, role.Value,
            current => ApiETag.Check(http.Request, ToResponse(current).ETag), cancellationToken);
        if (!changed.IsSuccess)
            return ApiProblems.From(changed.Error);
        var response = ToResponse(changed.Value);
        ApiETag.Set(http.Response, response.ETag);
        return TypedResults.Ok(response);
    }

    /// <summary><c>DELETE /api/v1/members/{userId}</c>.</summary>
    public static async Task<IResult> DeleteAsync(HttpContext http, MemberService members, string userId, CancellationToken cancellationToken)
    {
        var removed = await members.RemoveAsync(ApiCaller.Actor(http), userId,
            current => ApiETag.Check(http.Request, ToResponse(current).ETag), cancellationToken);
        return removed.IsSuccess ? TypedResults.NoContent() : ApiProblems.From(removed.Error);
    }

    private static MemberResponse ToResponse(MemberRow m) =>
        new(m.UserId, m.Email, m.DisplayName, m.Role.ToString(), m.JoinedAt, ApiETag.Of(m.UserId, m.Role));
}
