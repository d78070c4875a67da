using System.Text;
using TenantPortal.Data.Services.Billing.Webhooks;

namespace TenantPortal.Web.Endpoints;

/// <summary>
/// <c>POST /api/v1/stripe/webhook</c>: Stripe's deliveries. Outside the API-key group on purpose: Stripe has no API key,
/// the <c>Stripe-Signature</c> header is its authentication, and Stripe's retries must not be rate-limited away.
/// </summary>
public static class StripeWebhookEndpoints
{
    /// <summary>The route.</summary>
    public const string Route = "/api/v1/stripe/webhook";

    /// <summary>Largest body accepted; Stripe's events are a few kilobytes.</summary>
    public const int MaxBodyBytes = (int)Security.RequestBodyLimits.WebhookBytes;

    /// <summary>The 200 body: <c>outcome</c> is <c>processed</c>, <c>ignored</c> or <c>duplicate</c>.</summary>
    public sealed record WebhookResponse(bool Received, string Outcome);

    /// <summary>Maps the webhook route: anonymous, no antiforgery, no rate limiter.</summary>
    public static IEndpointRouteBuilder MapStripeWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .DisableRateLimiting()
            .WithName("StripeWebhook").WithTags("Stripe").WithSummary("Stripe events (signed by Stripe, not called with an API key)")
            .WithDescription("Verified with the Stripe-Signature header and Stripe:WebhookSecret; each event id is applied once. 400 for a bad or missing signature, 413 for an oversized body.")
            .Produces<WebhookResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    /// <summary>200 when processed, ignored or a duplicate; 400 for a bad signature; 413 for an oversized body; 500 when processing failed (stored, retried).</summary>
    public static async Task<IResult> ReceiveAsync(
        HttpRequest request, StripeWebhookService webhooks, CancellationToken cancellationToken)
    {
        var payload = await ReadBodyAsync(request, cancellationToken);
        if (payload is null)
            return ApiProblems.From(new BatchProblem(StatusCodes.Status413PayloadTooLarge, "body", $"The body can be at most {Security.RequestBodyLimits.Describe(MaxBodyBytes)} ({MaxBodyBytes:D} bytes)."));

        var received = await webhooks.ReceiveAsync(payload, request.Headers["Stripe-Signature"].FirstOrDefault(), cancellationToken);
        if (!received.IsSuccess)
            return ApiProblems.From(new BatchProblem(StatusCodes.Status400BadRequest, received.Error.Field ?? "Stripe-Signature", received.Error.Message));

        var receipt = received.Value;
        if (receipt.Outcome == WebhookReceiptOutcome.Failed)
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "The event could not be processed",
                detail: $"Event {receipt.StripeEventId} is stored and will be processed again; the inbox holds the error.",
                extensions: new Dictionary<string, object?> { ["eventId"] = receipt.StripeEventId });
        return TypedResults.Ok(new WebhookResponse(true, receipt.Outcome.ToString().ToLowerInvariant()));
    }

    // Null when the body is larger than the cap.
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        // The signature covers the exact bytes: decode them as they came (Stripe sends UTF-8).
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
