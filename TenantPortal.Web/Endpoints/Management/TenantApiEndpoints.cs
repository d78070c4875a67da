using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Tenants;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary><c>/api/v1/tenant</c>: the key's tenant, read by any key and edited with <c>tenant:write</c>.</summary>
public static class TenantApiEndpoints
{
    private static readonly string[] PatchFields = ["name", "billingEmail", "customDomain"];

    /// <summary>The tenant as the API shows it.</summary>
    /// <param name="Id">The tenant's id.</param>
    /// <param name="Slug">Its slug (the <c>/t/{slug}</c> of the portal).</param>
    /// <param name="Name">Its name.</param>
    /// <param name="BillingEmail">Where invoices go, when set.</param>
    /// <param name="CustomDomain">Its custom domain, when set.</param>
    /// <param name="Tier">Its plan: <c>Free</c>, <c>Starter</c>, <c>Professional</c> or <c>Enterprise</c>.</param>
    /// <param name="Status">Its status: <c>Trial</c>, <c>Active</c>, <c>PastDue</c> or <c>Suspended</c>.</param>
    /// <param name="CreatedAt">When it was created.</param>
    /// <param name="TrialEndsAt">When its trial ends, during a trial.</param>
    public sealed record TenantResponse(Guid Id, string Slug, string Name, string? BillingEmail, string? CustomDomain, string Tier, string Status,
        DateTimeOffset CreatedAt, DateTimeOffset? TrialEndsAt);

    /// <summary>The body of <c>PATCH /tenant</c>: send only the fields to change; null clears an optional one.</summary>
    /// <param name="Name">The new name (1–100 characters, no control characters or bidirectional controls).</param>
    /// <param name="BillingEmail">The new billing email, or null to clear it.</param>
    /// <param name="CustomDomain">The new custom domain, or null to clear it.</param>
    public sealed record TenantPatch(string? Name, string? BillingEmail, string? CustomDomain);

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapTenantApi(this RouteGroupBuilder api)
    {
        api.MapGet("/tenant", GetAsync).WithTags("Tenant").WithName("GetTenant").WithSummary("The key's tenant")
            .WithDescription("Any key may read its own tenant. The ETag header is the version to send as If-Match when patching.")
            .Produces<TenantResponse>().ProducesApiErrors();
        api.MapPatch("/tenant", PatchAsync).WithTags("Tenant").WithName("UpdateTenant").WithSummary("Change the tenant's name, billing email or custom domain")
            .WithDescription("Needs tenant:write. Send only the fields to change (null clears billingEmail or customDomain). With If-Match, refused with 412 when the tenant changed since that ETag. A value holding a control character or a bidirectional control is a 422 naming the field.")
            .AcceptsJson<TenantPatch>().Produces<TenantResponse>()
            .ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.PreconditionFailed, ErrorCodes.MissingScope)
            .WithMetadata(new ApiExample("""{"billingEmail":"ap@example.com","customDomain":null}"""))
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.TenantWrite));
        return api;
    }

    /// <summary><c>GET /api/v1/tenant</c>.</summary>
    public static async Task<IResult> GetAsync(HttpContext http, TenantService tenants, CancellationToken cancellationToken)
    {
        var details = await tenants.GetDetailsAsync(ApiCaller.Actor(http), cancellationToken);
        if (!details.IsSuccess)
            return ApiProblems.From(details.Error);
        return Respond(http, details.Value);
    }

    /// <summary><c>PATCH /api/v1/tenant</c>.</summary>
    public static async Task<IResult> PatchAsync(HttpContext http, TenantService tenants, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiBody.ReadObjectAsync(http.Request, PatchFields, cancellationToken);
        if (problem is not null)
            return problem;
        var name = ApiBody.String(body, "name");
        var billingEmail = ApiBody.String(body, "billingEmail");
        var customDomain = ApiBody.String(body, "customDomain");
        if (new Result[] { name, billingEmail, customDomain }.FirstOrDefault(r => !r.IsSuccess) is { } invalid)
            return ApiProblems.From(invalid.Error!);
        if (name.Value is { IsPresent: true, Value: null })
            return ApiProblems.From(Error.Invalid("name", "name can't be null; a workspace always has a name."));

        var actor = ApiCaller.Actor(http);
        var current = await tenants.GetDetailsAsync(actor, cancellationToken);
        if (!current.IsSuccess)
            return ApiProblems.From(current.Error);
        if (ApiETag.Check(http.Request, ETagOf(current.Value)) is { } stale)
            return ApiProblems.From(stale);
        var t = current.Value;
        var updated = await tenants.UpdateAsync(actor, new UpdateTenantRequest(name.Value.Or(t.Name)!, billingEmail.Value.Or(t.BillingEmail),
            customDomain.Value.Or(t.CustomDomain), t.ConcurrencyStamp), cancellationToken);
        if (!updated.IsSuccess)
            return ApiProblems.From(updated.Error);
        return Respond(http, updated.Value);
    }

    private static IResult Respond(HttpContext http, TenantDetails t)
    {
        ApiETag.Set(http.Response, ETagOf(t));
        return TypedResults.Ok(new TenantResponse(t.Id, t.Slug, t.Name, t.BillingEmail, t.CustomDomain, t.Tier.ToString(), t.Status.ToString(), t.CreatedAt, t.TrialEndsAt));
    }

    private static string ETagOf(TenantDetails t) =>
        ApiETag.Of(t.ConcurrencyStamp, t.Name, t.BillingEmail, t.CustomDomain, t.Tier, t.Status, t.TrialEndsAt);
}
