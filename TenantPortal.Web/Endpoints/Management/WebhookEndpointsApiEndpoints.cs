using System.Text.Json;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Data.Services.Webhooks;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// <c>/api/v1/webhook-endpoints</c>: the tenant's webhook endpoints, read with <c>webhooks:read</c> and changed with
/// <c>webhooks:write</c> through <see cref="WebhookEndpointService"/> (the service the Settings section uses; the plan's
/// <c>webhooks</c> entitlement is checked there). The signing secret is in the answer of create and rotate-secret only.
/// </summary>
public static class WebhookEndpointsApiEndpoints
{
    private static readonly string[] CreateFields = ["url", "description", "events"];
    private static readonly string[] PatchFields = ["url", "description", "events", "enabled"];

    /// <summary>An endpoint as the API shows it.</summary>
    /// <param name="Id">The endpoint's id.</param>
    /// <param name="Url">Where events are POSTed (HTTPS).</param>
    /// <param name="Description">A note, or null.</param>
    /// <param name="Events">The subscribed event types.</param>
    /// <param name="Enabled">True while events are delivered.</param>
    /// <param name="DisabledAt">When it was disabled, or null.</param>
    /// <param name="DisabledForFailures">True when the portal disabled it after 3 days of failed deliveries.</param>
    /// <param name="FailingSince">When its current run of failed attempts started, or null.</param>
    /// <param name="PreviousSecretExpiresAt">During a rotation's overlap: until when the previous secret signs too.</param>
    /// <param name="CreatedAt">When it was registered.</param>
    public sealed record WebhookEndpointResponse(Guid Id, string Url, string? Description, IReadOnlyList<string> Events, bool Enabled, DateTimeOffset? DisabledAt,
        bool DisabledForFailures, DateTimeOffset? FailingSince, DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset CreatedAt);

    /// <summary>An endpoint with its signing secret, shown this once.</summary>
    /// <param name="Endpoint">The endpoint.</param>
    /// <param name="Secret">The signing secret (<c>whsec_…</c>): keep it; it is not shown again.</param>
    public sealed record WebhookEndpointSecretResponse(WebhookEndpointResponse Endpoint, string Secret);

    /// <summary>The body of <c>POST /webhook-endpoints</c>.</summary>
    /// <param name="Url">The HTTPS address (required).</param>
    /// <param name="Description">A note (optional, up to 200 characters).</param>
    /// <param name="Events">Event types (optional; default: all but <c>audit.entry</c>).</param>
    public sealed record WebhookEndpointCreate(string Url, string? Description, IReadOnlyList<string>? Events);

    /// <summary>The body of <c>PATCH /webhook-endpoints/{id}</c>: the fields sent change, the others stay.</summary>
    /// <param name="Url">A new HTTPS address.</param>
    /// <param name="Description">A new note (null or empty clears it).</param>
    /// <param name="Events">The new event types.</param>
    /// <param name="Enabled">true enables (also after the portal disabled it for failures), false disables.</param>
    public sealed record WebhookEndpointPatch(string? Url, string? Description, IReadOnlyList<string>? Events, bool? Enabled);

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapWebhookEndpointsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/webhook-endpoints", ListAsync).WithTags("Webhook endpoints").WithName("ListWebhookEndpoints").WithSummary("The tenant's webhook endpoints")
            .WithDescription("Needs webhooks:read and the plan's webhooks feature. Ordered by createdAt, then id.")
            .Produces<ApiPage<WebhookEndpointResponse>>().ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.Forbidden, ErrorCodes.FeatureNotIncluded, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.WebhooksRead));
        api.MapPost("/webhook-endpoints", CreateAsync).WithTags("Webhook endpoints").WithName("CreateWebhookEndpoint").WithSummary("Register a webhook endpoint")
            .WithDescription("Needs webhooks:write. The URL must be https and not a loopback, private or link-local address (checked again at every send, after DNS). Answers the signing secret once.")
            .AcceptsJson<WebhookEndpointCreate>().Produces<WebhookEndpointSecretResponse>(StatusCodes.Status201Created)
            .ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.Forbidden, ErrorCodes.FeatureNotIncluded, ErrorCodes.Conflict, ErrorCodes.MissingScope)
            .WithMetadata(new ApiExample("{\"url\":\"https://example.com/webhooks\",\"description\":\"ERP\",\"events\":[\"invoice.issued\",\"invoice.paid\"]}"))
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.WebhooksWrite));
        api.MapGet("/webhook-endpoints/{id}", GetAsync).WithTags("Webhook endpoints").WithName("GetWebhookEndpoint").WithSummary("A webhook endpoint")
            .WithDescription("Needs webhooks:read.")
            .Produces<WebhookEndpointResponse>().ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.Forbidden, ErrorCodes.FeatureNotIncluded, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.WebhooksRead));
        api.MapPatch("/webhook-endpoints/{id}", PatchAsync).WithTags("Webhook endpoints").WithName("UpdateWebhookEndpoint").WithSummary("Change a webhook endpoint")
            .WithDescription("Needs webhooks:write. Send only the fields to change; enabled:true enables an endpoint the portal disabled after 3 days of failures.")
            .AcceptsJson<WebhookEndpointPatch>().Produces<WebhookEndpointResponse>()
            .ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.NotFound, ErrorCodes.Forbidden, ErrorCodes.FeatureNotIncluded, ErrorCodes.ConcurrencyConflict, ErrorCodes.MissingScope)
            .WithMetadata(new ApiExample("{\"events\":[\"member.added\",\"member.removed\"],\"enabled\":true}"))
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.WebhooksWrite));
        api.MapDelete("/webhook-endpoints/{id}", DeleteAsync).WithTags("Webhook endpoints").WithName("DeleteWebhookEndpoint").WithSummary("Delete a webhook endpoint")
            .WithDescription("Needs webhooks:write. Its delivery log goes with it.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.Forbidden, ErrorCodes.FeatureNotIncluded, ErrorCodes.ConcurrencyConflict, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.WebhooksWrite));
        api.MapPost("/webhook-endpoints/{id}/rotate-secret", RotateAsync).WithTags("Webhook endpoints").WithName("RotateWebhookSecret").WithSummary("Rotate an endpoint's signing secret")
            .WithDescription("Needs webhooks:write. Answers the new secret once; for 24 hours the previous secret signs too (a second v1 in TenantPortal-Signature).")
            .Produces<WebhookEndpointSecretResponse>()
            .ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.Forbidden, ErrorCodes.FeatureNotIncluded, ErrorCodes.ConcurrencyConflict, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.WebhooksWrite));
        return api;
    }

    /// <summary><c>GET /api/v1/webhook-endpoints</c>.</summary>
    public static async Task<IResult> ListAsync(HttpContext http, WebhookEndpointService endpoints, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var page = await ApiPaging.ReadPageAsync(limit, cursor, () => endpoints.ListAsync(ApiCaller.Actor(http), cancellationToken),
            e => e.Id.ToString("N"), ToResponse);
        return page.IsSuccess ? TypedResults.Ok(page.Value) : ApiProblems.From(page.Error);
    }

    /// <summary><c>POST /api/v1/webhook-endpoints</c>.</summary>
    public static async Task<IResult> CreateAsync(HttpContext http, WebhookEndpointService endpoints, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiBody.ReadObjectAsync(http.Request, CreateFields, cancellationToken);
        if (problem is not null)
            return problem;
        var url = ApiBody.RequiredString(body, "url");
        if (!url.IsSuccess)
            return ApiProblems.From(url.Error);
        var description = ApiBody.String(body, "description");
        if (!description.IsSuccess)
            return ApiProblems.From(description.Error);
        var events = Events(body);
        if (!events.IsSuccess)
            return ApiProblems.From(events.Error);
        var created = await endpoints.CreateAsync(ApiCaller.Actor(http),
            new WebhookEndpointInput(url.Value, description.Value.IsPresent ? description.Value.Value : null, events.Value), cancellationToken);
        if (!created.IsSuccess)
            return ApiProblems.From(created.Error);
        return TypedResults.Created($"/api/v1/webhook-endpoints/{created.Value.Endpoint.Id}", ToResponse(created.Value));
    }

    /// <summary><c>GET /api/v1/webhook-endpoints/{id}</c>.</summary>
    public static async Task<IResult> GetAsync(HttpContext http, WebhookEndpointService endpoints, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var endpointId))
            return ApiProblems.From(NotFound());
        var found = await endpoints.GetAsync(ApiCaller.Actor(http), endpointId, cancellationToken);
        return found.IsSuccess ? TypedResults.Ok(ToResponse(found.Value)) : ApiProblems.From(found.Error);
    }

    /// <summary><c>PATCH /api/v1/webhook-endpoints/{id}</c>.</summary>
    public static async Task<IResult> PatchAsync(HttpContext http, WebhookEndpointService endpoints, string id, CancellationToken cancellationToken)
    {
        var (body, problem) = await ApiBody.ReadObjectAsync(http.Request, PatchFields, cancellationToken);
        if (problem is not null)
            return problem;
        var url = ApiBody.String(body, "url");
        if (!url.IsSuccess)
            return ApiProblems.From(url.Error);
        if (url.Value is { IsPresent: true, Value: null })
            return ApiProblems.From(Error.Invalid("url", "url can't be null; send an HTTPS address or leave the field out."));
        var description = ApiBody.String(body, "description");
        if (!description.IsSuccess)
            return ApiProblems.From(description.Error);
        var events = body.TryGetProperty("events", out _) ? Events(body) : Result<IReadOnlyList<string>?>.Ok(null);
        if (!events.IsSuccess)
            return ApiProblems.From(events.Error);
        bool? enabled = null;
        if (body.TryGetProperty("enabled", out var flag))
        {
            if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                return ApiProblems.From(Error.Invalid("enabled", "enabled must be true or false."));
            enabled = flag.GetBoolean();
        }
        if (!Guid.TryParse(id, out var endpointId))
            return ApiProblems.From(NotFound());
        // An explicit null description clears it: the service clears on empty.
        var note = description.Value.IsPresent ? description.Value.Value ?? "" : null;
        var updated = await endpoints.UpdateAsync(ApiCaller.Actor(http), endpointId,
            new WebhookEndpointInput(url.Value.IsPresent ? url.Value.Value : null, note, events.Value, enabled), cancellationToken);
        return updated.IsSuccess ? TypedResults.Ok(ToResponse(updated.Value)) : ApiProblems.From(updated.Error);
    }

    /// <summary><c>DELETE /api/v1/webhook-endpoints/{id}</c>.</summary>
    public static async Task<IResult> DeleteAsync(HttpContext http, WebhookEndpointService endpoints, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var endpointId))
            return ApiProblems.From(NotFound());
        var deleted = await endpoints.DeleteAsync(ApiCaller.Actor(http), endpointId, cancellationToken);
        return deleted.IsSuccess ? TypedResults.NoContent() : ApiProblems.From(deleted.Error);
    }

    /// <summary><c>POST /api/v1/webhook-endpoints/{id}/rotate-secret</c>.</summary>
    public static async Task<IResult> RotateAsync(HttpContext http, WebhookEndpointService endpoints, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var endpointId))
            return ApiProblems.From(NotFound());
        var rotated = await endpoints.RotateSecretAsync(ApiCaller.Actor(http), endpointId, cancellationToken);
        return rotated.IsSuccess ? TypedResults.Ok(ToResponse(rotated.Value)) : ApiProblems.From(rotated.Error);
    }

    // events: absent (null), or an array of strings; anything else names the field.
    private static Result<IReadOnlyList<string>?> Events(JsonElement body)
    {
        if (!body.TryGetProperty("events", out var value))
            return Result<IReadOnlyList<string>?>.Ok(null);
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            return Error.Invalid("events", "events must be an array of event type names, e.g. [\"invoice.paid\"].");
        return value.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private static Error NotFound() => Error.NotFound("That webhook endpoint was not found.");

    private static WebhookEndpointResponse ToResponse(WebhookEndpointRow e) =>
        new(e.Id, e.Url, e.Description, e.Events, e.Enabled, e.DisabledAt, e.DisabledForFailures, e.FailingSince, e.PreviousSecretExpiresAt, e.CreatedAt);

    private static WebhookEndpointSecretResponse ToResponse(WebhookEndpointSecret s) => new(ToResponse(s.Endpoint), s.Secret);
}
