using System.Text.Json.Nodes;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Scim;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>
/// The <c>/scim/v2</c> group: SCIM 2.0 for a tenant's directory, authenticated by a SCIM token (not an API key), with
/// SCIM error bodies. It shares the tenant's per-second rate limit with <c>/api/v1</c> (the token carries the tenant's
/// claims). Left out of the OpenAPI document: SCIM describes itself (<c>ServiceProviderConfig</c>, <c>ResourceTypes</c>,
/// <c>Schemas</c>).
/// </summary>
public static class ScimEndpoints
{
    /// <summary>Maps every SCIM route.</summary>
    public static IEndpointRouteBuilder MapScimEndpoints(this IEndpointRouteBuilder app)
    {
        var scim = app.MapGroup(ScimTokenService.BasePath)
            .RequireAuthorization(ScimAuthenticationHandler.PolicyName)
            .RequireRateLimiting(TenantRateLimiting.Policy)
            .DisableAntiforgery()
            .ExcludeFromDescription()
            .AddEndpointFilter(ScimUnexpectedErrorFilter.InvokeAsync);
        scim.MapScimUsers();
        scim.MapScimGroups();
        var discovery = scim.MapGroup("").AddEndpointFilter(EntitledAsync);
        discovery.MapGet("/ServiceProviderConfig", (IPortalAddresses addresses) => ScimResult.Ok(ScimDiscovery.ServiceProviderConfig(BaseUrl(addresses))));
        discovery.MapGet("/ResourceTypes", (IPortalAddresses addresses) => ScimResult.Ok(ScimDiscovery.List(ScimDiscovery.ResourceTypes(BaseUrl(addresses)))));
        discovery.MapGet("/ResourceTypes/{name}", (string name, IPortalAddresses addresses) =>
            ScimDiscovery.ResourceTypeNamed(BaseUrl(addresses), name) is { } type ? ScimResult.Ok(type)
                : ScimResult.Failure(StatusCodes.Status404NotFound, null, $"No resource type {name}: there are User and Group."));
        discovery.MapGet("/Schemas", (IPortalAddresses addresses) => ScimResult.Ok(ScimDiscovery.List(ScimDiscovery.Schemas(BaseUrl(addresses)))));
        discovery.MapGet("/Schemas/{urn}", (string urn, IPortalAddresses addresses) =>
            ScimDiscovery.SchemaNamed(BaseUrl(addresses), urn) is { } schema ? ScimResult.Ok(schema)
                : ScimResult.Failure(StatusCodes.Status404NotFound, null, $"No schema {urn}: there are {ScimSchemas.User} and {ScimSchemas.Group}."));
        return app;
    }

    /// <summary>A list response (RFC 7644 §3.4.2).</summary>
    public static JsonObject ListBody(int totalResults, int startIndex, JsonArray resources) => new()
    {
        ["schemas"] = new JsonArray(ScimSchemas.ListResponse),
        ["totalResults"] = totalResults,
        ["startIndex"] = startIndex,
        ["itemsPerPage"] = resources.Count,
        ["Resources"] = resources,
    };

    // The discovery documents answer only a token whose tenant may use SCIM, like every other route.
    private static async ValueTask<object?> EntitledAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var entitled = await http.RequestServices.GetRequiredService<ScimTokenService>().CheckEntitledAsync(ScimCaller.Identity(http), http.RequestAborted);
        return entitled.IsSuccess ? await next(context) : ScimResult.From(entitled.Error);
    }

    private static Uri BaseUrl(IPortalAddresses addresses) => addresses.Link(ScimTokenService.BasePath);
}
