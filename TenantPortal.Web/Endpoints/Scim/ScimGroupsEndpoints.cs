using System.Text.Json.Nodes;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary><c>/scim/v2/Groups</c>: the directory's groups, whose members get the roles the workspace maps them to.</summary>
public static class ScimGroupsEndpoints
{
    /// <summary>Maps the Groups routes on the SCIM group.</summary>
    public static RouteGroupBuilder MapScimGroups(this RouteGroupBuilder scim)
    {
        var groups = scim.MapGroup("/Groups");
        groups.MapGet("", ListAsync).WithName("ScimListGroups");
        groups.MapGet("/{id}", GetAsync).WithName("ScimGetGroup");
        groups.MapPost("", CreateAsync).WithName("ScimCreateGroup");
        groups.MapPut("/{id}", ReplaceAsync).WithName("ScimReplaceGroup");
        groups.MapPatch("/{id}", PatchAsync).WithName("ScimPatchGroup");
        groups.MapDelete("/{id}", DeleteAsync).WithName("ScimDeleteGroup");
        return scim;
    }

    /// <summary>Lists groups: <c>filter</c> (displayName or externalId eq "…"), <c>startIndex</c>, <c>count</c>, <c>excludedAttributes=members</c>.</summary>
    public static async Task<ScimResult> ListAsync(HttpContext http, ScimGroupService groups, IPortalAddresses addresses, CancellationToken cancellationToken)
    {
        var filter = ScimFilter.Parse(http.Request.Query["filter"], forGroups: true);
        if (!filter.IsSuccess)
            return ScimResult.From(filter.Error);
        var page = ScimPaging.Read(http.Request);
        if (!page.IsSuccess)
            return ScimResult.From(page.Error);
        var withMembers = !ExcludesMembers(http.Request);
        var result = await groups.ListAsync(ScimCaller.Identity(http), filter.Value, page.Value.StartIndex, page.Value.Count, withMembers, cancellationToken);
        if (!result.IsSuccess)
            return ScimResult.From(result.Error);
        var resources = new JsonArray(result.Value.Resources.Select(g => (JsonNode)ScimGroupJson.Write(g, Location(addresses, g.Id), withMembers)).ToArray());
        return ScimResult.Ok(ScimEndpoints.ListBody(result.Value.TotalResults, result.Value.StartIndex, resources));
    }

    /// <summary>One group with its members.</summary>
    public static async Task<ScimResult> GetAsync(string id, HttpContext http, ScimGroupService groups, IPortalAddresses addresses, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var groupId))
            return NotFound(id);
        var result = await groups.GetAsync(ScimCaller.Identity(http), groupId, cancellationToken);
        return ScimWrite.Answer(result, group => ScimResult.Ok(ScimGroupJson.Write(group, Location(addresses, groupId), !ExcludesMembers(http.Request))));
    }

    /// <summary>Creates a group: 201 with its Location.</summary>
    public static Task<ScimResult> CreateAsync(HttpContext http, ScimGroupService groups, IPortalAddresses addresses, CancellationToken cancellationToken) =>
        ScimWrite.HandleAsync(http.Request, ScimGroupJson.Read,
            input => groups.CreateAsync(ScimCaller.Identity(http), input, ScimCaller.IpAddress(http), cancellationToken),
            group => ScimWrite.Created(Location(addresses, group.Id), location => ScimGroupJson.Write(group, location)), cancellationToken);

    /// <summary>Replaces a group's name, external id and members (PUT).</summary>
    public static async Task<ScimResult> ReplaceAsync(string id, HttpContext http, ScimGroupService groups, IPortalAddresses addresses, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var groupId))
            return NotFound(id);
        return await ScimWrite.HandleAsync(http.Request, ScimGroupJson.Read,
            input => groups.ReplaceAsync(ScimCaller.Identity(http), groupId, input, ScimCaller.IpAddress(http), cancellationToken),
            group => ScimResult.Ok(ScimGroupJson.Write(group, Location(addresses, groupId))), cancellationToken);
    }

    /// <summary>
    /// Applies PATCH operations. Answers 200 with the group (Okta reads it; Entra ID ignores the body), or 204 when
    /// the client asked with <c>excludedAttributes=members</c>.
    /// </summary>
    public static async Task<ScimResult> PatchAsync(string id, HttpContext http, ScimGroupService groups, IPortalAddresses addresses, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var groupId))
            return NotFound(id);
        return await ScimWrite.HandleAsync(http.Request, ScimGroupJson.ReadPatch,
            patch => groups.PatchAsync(ScimCaller.Identity(http), groupId, patch, ScimCaller.IpAddress(http), cancellationToken),
            group => ExcludesMembers(http.Request) ? ScimResult.NoContent() : ScimResult.Ok(ScimGroupJson.Write(group, Location(addresses, groupId))),
            cancellationToken);
    }

    /// <summary>Deletes a group: 204.</summary>
    public static async Task<ScimResult> DeleteAsync(string id, HttpContext http, ScimGroupService groups, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var groupId))
            return NotFound(id);
        var result = await groups.DeleteAsync(ScimCaller.Identity(http), groupId, ScimCaller.IpAddress(http), cancellationToken);
        return result.IsSuccess ? ScimResult.NoContent() : ScimResult.From(result.Error);
    }

    private static bool ExcludesMembers(HttpRequest request) =>
        request.Query["excludedAttributes"].Any(v => v?.Split(',').Any(a => string.Equals(a.Trim(), "members", StringComparison.OrdinalIgnoreCase)) == true);

    private static ScimResult NotFound(string id) => ScimResult.Failure(StatusCodes.Status404NotFound, null, $"No group {id} in this workspace.");

    private static Uri Location(IPortalAddresses addresses, Guid id) => addresses.Link($"{ScimTokenService.BasePath}/Groups/{id}");
}
