using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary><c>/api/v1/entitlements</c>: what the key's tenant's plan includes, with operators' overrides; read by any key.</summary>
public static class EntitlementsApiEndpoints
{
    /// <summary>One feature's value for the tenant.</summary>
    /// <param name="Feature">The feature: <c>sso</c>, <c>scim</c>, <c>webhooks</c>, <c>audit_export</c>, <c>max_api_keys</c> or <c>credits</c>.</param>
    /// <param name="Enabled">True when the tenant has it (for a number: the number is not 0).</param>
    /// <param name="Value">The number of a limit feature (<c>max_api_keys</c>; -1 = unlimited); null for an on/off feature.</param>
    /// <param name="Source"><c>plan</c> (the tenant's plan) or <c>override</c> (set by an operator for this tenant).</param>
    /// <param name="ExpiresAt">When an override stops applying (the plan's value applies from then on); null otherwise.</param>
    public sealed record EntitlementResponse(string Feature, bool Enabled, long? Value, string Source, DateTimeOffset? ExpiresAt);

    /// <summary>Every feature's value for the tenant.</summary>
    /// <param name="Entitlements">One item per feature, always all of them, in a stable order.</param>
    public sealed record EntitlementsResponse(IReadOnlyList<EntitlementResponse> Entitlements);

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapEntitlementsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/entitlements", ListAsync).WithTags("Entitlements").WithName("ListEntitlements").WithSummary("What the tenant's plan includes")
            .WithDescription("Any key may read its tenant's entitlements: every feature with its value, from the plan or from an operator's "
                + "override (optionally until expiresAt, after which the plan's value applies). The ETag header changes whenever any value "
                + "changes; send it as If-None-Match to get 304 Not Modified while nothing changed.")
            .Produces<EntitlementsResponse>().Produces(StatusCodes.Status304NotModified).ProducesApiErrors();
        api.MapGet("/entitlements/{feature}", GetAsync).WithTags("Entitlements").WithName("GetEntitlement").WithSummary("One feature of the tenant's plan")
            .WithDescription("Any key. The feature's value for the tenant, e.g. {\"feature\":\"sso\",\"enabled\":true,\"value\":null,"
                + "\"source\":\"plan\",\"expiresAt\":null}. A name that is no feature is a 404 problem naming it. ETag and If-None-Match as for the list.")
            .Produces<EntitlementResponse>().Produces(StatusCodes.Status304NotModified).ProducesApiErrors(ErrorCodes.NotFound);
        return api;
    }

    /// <summary><c>GET /api/v1/entitlements</c>.</summary>
    public static async Task<Results<Ok<EntitlementsResponse>, StatusCodeHttpResult, ProblemHttpResult>> ListAsync(HttpContext http,
        EntitlementService entitlements, CancellationToken cancellationToken)
    {
        var all = await entitlements.ListAsync(ApiCaller.Actor(http), cancellationToken);
        if (!all.IsSuccess)
            return Problem(all.Error);
        var body = new EntitlementsResponse(all.Value.Select(ToResponse).ToList());
        return Respond(http, body, body.Entitlements);
    }

    /// <summary><c>GET /api/v1/entitlements/{feature}</c>.</summary>
    public static async Task<Results<Ok<EntitlementResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetAsync(HttpContext http, string feature,
        EntitlementService entitlements, CancellationToken cancellationToken)
    {
        var one = await entitlements.GetAsync(ApiCaller.Actor(http), feature, cancellationToken);
        if (!one.IsSuccess)
            return Problem(one.Error);
        var body = ToResponse(one.Value);
        return Respond(http, body, [body]);
    }

    /// <summary>The API's view of an entitlement.</summary>
    public static EntitlementResponse ToResponse(Entitlement e) =>
        new(e.Feature.Name, e.Enabled, e.Value.Limit, e.Source == EntitlementSource.Override ? "override" : "plan", e.ExpiresAt);

    // 304 when the caller already holds this version (If-None-Match), else the body; the ETag either way.
    private static Results<Ok<T>, StatusCodeHttpResult, ProblemHttpResult> Respond<T>(HttpContext http, T body, IReadOnlyList<EntitlementResponse> items)
    {
        var etag = ApiETag.Of(items.SelectMany(i => new object?[] { i.Feature, i.Enabled, i.Value, i.Source, i.ExpiresAt?.UtcTicks }).ToArray());
        ApiETag.Set(http.Response, etag);
        return HoldsCurrent(http.Request, etag) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : TypedResults.Ok(body);
    }

    private static bool HoldsCurrent(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags))
            return false;
        // Weak comparison, as RFC 9110 asks for If-None-Match.
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Value == etag);
    }

    private static ProblemHttpResult Problem(Error error) => (ProblemHttpResult)ApiProblems.From(error);
}
