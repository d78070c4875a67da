using Microsoft.AspNetCore.Http.Features;
using TenantPortal.Web.Endpoints;

namespace TenantPortal.Web.Security;

/// <summary>
/// Caps the body of <c>/api</c> requests (<see cref="RequestBodyLimits"/>) and answers an oversized one with a 413
/// problem naming the limit: at once when <c>Content-Length</c> says so, or when a chunked body passes the cap while the
/// endpoint reads it (Kestrel then throws, before anything is stored).
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    /// <summary>Applies the limit of the route, if any.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = LimitFor(context.Request.Path);
        if (limit is null)
        {
            await next(context);
            return;
        }
        if (context.Request.ContentLength > limit)
        {
            await TooLarge(limit.Value).ExecuteAsync(context);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await TooLarge(limit.Value).ExecuteAsync(context);
        }
    }

    /// <summary>The limit of a path: the webhook's, the API's, or none (Kestrel's default applies).</summary>
    public static long? LimitFor(PathString path) =>
        path.StartsWithSegments(StripeWebhookEndpoints.Route, StringComparison.OrdinalIgnoreCase) ? RequestBodyLimits.WebhookBytes
        : path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) ? RequestBodyLimits.ApiBytes
        : null;

    private static IResult TooLarge(long limit) =>
        ApiProblems.From(new BatchProblem(StatusCodes.Status413PayloadTooLarge, "body", $"The body can be at most {RequestBodyLimits.Describe(limit)} ({limit:D} bytes)."));
}
