using System.Text.Json.Nodes;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary><c>/scim/v2/Users</c>: the workspace's members as SCIM users (RFC 7644 §3), for the token's tenant only.</summary>
public static class ScimUsersEndpoints
{
    /// <summary>Maps the Users routes on the SCIM group.</summary>
    public static RouteGroupBuilder MapScimUsers(this RouteGroupBuilder scim)
    {
        var users = scim.MapGroup("/Users");
        users.MapGet("", ListAsync).WithName("ScimListUsers");
        users.MapGet("/{id}", GetAsync).WithName("ScimGetUser");
        users.MapPost("", CreateAsync).WithName("ScimCreateUser");
        users.MapPut("/{id}", ReplaceAsync).WithName("ScimReplaceUser");
        users.MapPatch("/{id}", PatchAsync).WithName("ScimPatchUser");
        users.MapDelete("/{id}", DeleteAsync).WithName("ScimDeleteUser");
        return scim;
    }

    /// <summary>Lists users: <c>filter</c> (userName, externalId or emails[type eq "work"].value eq "…"), <c>startIndex</c>, <c>count</c>.</summary>
    public static async Task<ScimResult> ListAsync(HttpContext http, ScimUserService users, IPortalAddresses addresses, CancellationToken cancellationToken)
    {
        var filter = ScimFilter.Parse(http.Request.Query["filter"], forGroups: false);
        if (!filter.IsSuccess)
            return ScimResult.From(filter.Error);
        var page = ScimPaging.Read(http.Request);
        if (!page.IsSuccess)
            return ScimResult.From(page.Error);
        var result = await users.ListAsync(ScimCaller.Identity(http), filter.Value, page.Value.StartIndex, page.Value.Count, cancellationToken);
        if (!result.IsSuccess)
            return ScimResult.From(result.Error);
        var resources = new JsonArray(result.Value.Resources.Select(u => (JsonNode)ScimUserJson.Write(u, Location(addresses, u.Id))).ToArray());
        return ScimResult.Ok(ScimEndpoints.ListBody(result.Value.TotalResults, result.Value.StartIndex, resources));
    }

    /// <summary>One user.</summary>
    public static async Task<ScimResult> GetAsync(string id, HttpContext http, ScimUserService users, IPortalAddresses addresses, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
            return NotFound(id);
        var result = await users.GetAsync(ScimCaller.Identity(http), userId, cancellationToken);
        return ScimWrite.Answer(result, user => Ok(addresses, user, userId));
    }

    /// <summary>Creates (or adopts) a user: 201 with its Location.</summary>
    public static Task<ScimResult> CreateAsync(HttpContext http, ScimUserService users, IPortalAddresses addresses, CancellationToken cancellationToken) =>
        ScimWrite.HandleAsync(http.Request, ScimUserJson.Read,
            input => users.CreateAsync(ScimCaller.Identity(http), input, ScimCaller.IpAddress(http), cancellationToken),
            user => ScimWrite.Created(Location(addresses, user.Id), location => ScimUserJson.Write(user, location)), cancellationToken);

    /// <summary>Replaces a user's attributes (PUT).</summary>
    public static async Task<ScimResult> ReplaceAsync(string id, HttpContext http, ScimUserService users, IPortalAddresses addresses, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
            return NotFound(id);
        return await ScimWrite.HandleAsync(http.Request, ScimUserJson.Read,
            input => users.ReplaceAsync(ScimCaller.Identity(http), userId, input, ScimCaller.IpAddress(http), cancellationToken),
            user => Ok(addresses, user, userId), cancellationToken);
    }

    /// <summary>Applies PATCH operations (active, externalId, name, userName) to the user as it is now.</summary>
    public static async Task<ScimResult> PatchAsync(string id, HttpContext http, ScimUserService users, IPortalAddresses addresses, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
            return NotFound(id);
        var token = ScimCaller.Identity(http);
        // The patch applies to the user as it is now: reading it is part of parsing the body.
        return await ScimWrite.HandleAsync(http.Request, async Task<Result<ScimUserInput>> (body) =>
            {
                var current = await users.GetAsync(token, userId, cancellationToken);
                return current.IsSuccess ? ScimUserJson.ApplyPatch(current.Value, body) : current.Error;
            },
            input => users.ReplaceAsync(token, userId, input, ScimCaller.IpAddress(http), cancellationToken),
            user => Ok(addresses, user, userId), cancellationToken);
    }

    /// <summary>Removes the membership: 204.</summary>
    public static async Task<ScimResult> DeleteAsync(string id, HttpContext http, ScimUserService users, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
            return NotFound(id);
        var result = await users.DeleteAsync(ScimCaller.Identity(http), userId, ScimCaller.IpAddress(http), cancellationToken);
        return result.IsSuccess ? ScimResult.NoContent() : ScimResult.From(result.Error);
    }

    private static ScimResult NotFound(string id) => ScimResult.Failure(StatusCodes.Status404NotFound, null, $"No user {id} in this workspace.");

    private static ScimResult Ok(IPortalAddresses addresses, ScimUserView user, Guid id) => ScimResult.Ok(ScimUserJson.Write(user, Location(addresses, id)));

    private static Uri Location(IPortalAddresses addresses, Guid id) => addresses.Link($"{ScimTokenService.BasePath}/Users/{id}");
}
