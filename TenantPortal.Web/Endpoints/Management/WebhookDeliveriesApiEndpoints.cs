using System.Globalization;
using TenantPortal.Core.ApiKeys;
using TenantPortal.Core.Common;
using TenantPortal.Core.Webhooks;
using TenantPortal.Data.Services.Webhooks;
using TenantPortal.Web.Security;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>
/// <c>/api/v1/webhook-deliveries</c>: the delivery log (<c>webhooks:read</c>), newest first with cursor paging and filters,
/// one delivery with its attempts, and resend (<c>webhooks:write</c>), through <see cref="WebhookDeliveryService"/>.
/// </summary>
public static class WebhookDeliveriesApiEndpoints
{
    /// <summary>A delivery as the API shows it.</summary>
    /// <param name="Id">The delivery's id.</param>
    /// <param name="EndpointId">The endpoint.</param>
    /// <param name="EndpointUrl">The endpoint's address.</param>
    /// <param name="EventId">The event id (the receiver dedupes by it; a resend keeps it).</param>
    /// <param name="EventType">The event type.</param>
    /// <param name="Status"><c>pending</c>, <c>retrying</c>, <c>succeeded</c> or <c>failed</c>.</param>
    /// <param name="Attempts">Attempts made.</param>
    /// <param name="LastResponseCode">The last answer's HTTP status; null when none came.</param>
    /// <param name="LastDurationMs">How long the last attempt took.</param>
    /// <param name="LastError">Why the last attempt failed.</param>
    /// <param name="LastAttemptAt">When the last attempt was made.</param>
    /// <param name="NextAttemptAt">When the next attempt is due.</param>
    /// <param name="CreatedAt">When the delivery was made.</param>
    public sealed record WebhookDeliveryResponse(Guid Id, Guid EndpointId, string EndpointUrl, string EventId, string EventType, string Status, int Attempts,
        int? LastResponseCode, int? LastDurationMs, string? LastError, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt);

    /// <summary>One attempt.</summary>
    /// <param name="Number">1 for the first.</param>
    /// <param name="At">When it started.</param>
    /// <param name="StatusCode">The answer's HTTP status; null when none came.</param>
    /// <param name="DurationMs">How long it took.</param>
    /// <param name="Succeeded">True for a 2xx answer.</param>
    /// <param name="Error">Why it failed.</param>
    public sealed record WebhookAttemptResponse(int Number, DateTimeOffset At, int? StatusCode, int DurationMs, bool Succeeded, string? Error);

    /// <summary>A delivery with its attempts and the body it sends.</summary>
    /// <param name="Delivery">The delivery.</param>
    /// <param name="Attempts">Its attempts, oldest first.</param>
    /// <param name="Payload">The JSON body every attempt sends.</param>
    public sealed record WebhookDeliveryDetailResponse(WebhookDeliveryResponse Delivery, IReadOnlyList<WebhookAttemptResponse> Attempts, string? Payload);

    /// <summary>Maps the routes on the API group.</summary>
    public static RouteGroupBuilder MapWebhookDeliveriesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/webhook-deliveries", ListAsync).WithTags("Webhook deliveries").WithName("ListWebhookDeliveries").WithSummary("The webhook delivery log")
            .WithDescription("Needs webhooks:read. Newest first; filter by endpointId, status (pending, retrying, succeeded, failed) and eventType; limit 1–100 (default 50); pass nextCursor as cursor for the next page.")
            .Produces<ApiPage<WebhookDeliveryResponse>>().ProducesApiErrors(ErrorCodes.Invalid, ErrorCodes.Forbidden, ErrorCodes.FeatureNotIncluded, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.WebhooksRead));
        api.MapGet("/webhook-deliveries/{id}", GetAsync).WithTags("Webhook deliveries").WithName("GetWebhookDelivery").WithSummary("A webhook delivery with its attempts")
            .WithDescription("Needs webhooks:read.")
            .Produces<WebhookDeliveryDetailResponse>().ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.Forbidden, ErrorCodes.FeatureNotIncluded, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.WebhooksRead));
        api.MapPost("/webhook-deliveries/{id}/resend", ResendAsync).WithTags("Webhook deliveries").WithName("ResendWebhookDelivery").WithSummary("Send a delivery again")
            .WithDescription("Needs webhooks:write. Queues a new attempt now with the same event id (receivers dedupe by it). Refused (409) for a disabled endpoint and while an attempt is in flight.")
            .Produces<WebhookDeliveryResponse>(StatusCodes.Status202Accepted)
            .ProducesApiErrors(ErrorCodes.NotFound, ErrorCodes.Forbidden, ErrorCodes.FeatureNotIncluded, ErrorCodes.Conflict, ErrorCodes.MissingScope)
            .RequireAuthorization(PortalPolicies.Scope(ApiKeyScopes.WebhooksWrite));
        return api;
    }

    /// <summary><c>GET /api/v1/webhook-deliveries</c>.</summary>
    public static async Task<IResult> ListAsync(HttpContext http, WebhookDeliveryService deliveries, string? endpointId, string? status, string? eventType,
        string? limit, string? cursor, CancellationToken cancellationToken)
    {
        Guid? endpoint = null;
        if (endpointId is not null)
        {
            if (!Guid.TryParse(endpointId, out var parsed))
                return ApiProblems.From(Error.Invalid("endpointId", "endpointId must be an endpoint's id."));
            endpoint = parsed;
        }
        WebhookDeliveryStatus? state = null;
        if (status is not null)
        {
            if (!Enum.TryParse<WebhookDeliveryStatus>(status, ignoreCase: true, out var parsed) || !char.IsLetter(status.FirstOrDefault()) || !Enum.IsDefined(parsed))
                return ApiProblems.From(Error.Invalid("status", "status must be pending, retrying, succeeded or failed."));
            state = parsed;
        }
        var size = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > WebhookDeliveryService.MaxLimit))
            return ApiProblems.From(Error.Invalid("limit", $"limit must be a whole number from 1 to {WebhookDeliveryService.MaxLimit}."));
        var page = await deliveries.ListAsync(ApiCaller.Actor(http), new WebhookDeliveryFilter(endpoint, state, eventType, size, cursor), cancellationToken);
        return page.IsSuccess
            ? TypedResults.Ok(new ApiPage<WebhookDeliveryResponse>(page.Value.Items.Select(ToResponse).ToList(), page.Value.NextCursor))
            : ApiProblems.From(page.Error);
    }

    /// <summary><c>GET /api/v1/webhook-deliveries/{id}</c>.</summary>
    public static async Task<IResult> GetAsync(HttpContext http, WebhookDeliveryService deliveries, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var deliveryId))
            return ApiProblems.From(NotFound());
        var found = await deliveries.GetAsync(ApiCaller.Actor(http), deliveryId, cancellationToken);
        if (!found.IsSuccess)
            return ApiProblems.From(found.Error);
        var attempts = found.Value.Attempts.Select(a => new WebhookAttemptResponse(a.Number, a.At, a.StatusCode, a.DurationMs, a.Succeeded, a.Error)).ToList();
        return TypedResults.Ok(new WebhookDeliveryDetailResponse(ToResponse(found.Value.Delivery), attempts, found.Value.Payload));
    }

    /// <summary><c>POST /api/v1/webhook-deliveries/{id}/resend</c>.</summary>
    public static async Task<IResult> ResendAsync(HttpContext http, WebhookDeliveryService deliveries, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var deliveryId))
            return ApiProblems.From(NotFound());
        var resent = await deliveries.ResendAsync(ApiCaller.Actor(http), deliveryId, cancellationToken);
        return resent.IsSuccess ? TypedResults.Accepted($"/api/v1/webhook-deliveries/{deliveryId}", ToResponse(resent.Value)) : ApiProblems.From(resent.Error);
    }

    private static Error NotFound() => Error.NotFound("That webhook delivery was not found.");

    private static WebhookDeliveryResponse ToResponse(WebhookDeliveryRow d) =>
        new(d.Id, d.EndpointId, d.EndpointUrl, d.EventId, d.EventType, d.Status.ToString().ToLowerInvariant(), d.Attempts, d.LastResponseCode, d.LastDurationMs,
            d.LastError, d.LastAttemptAt, d.NextAttemptAt, d.CreatedAt);
}
