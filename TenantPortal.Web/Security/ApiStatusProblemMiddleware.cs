namespace TenantPortal.Web.Security;

/// <summary>
/// Under <c>/api</c>, an error status that nothing wrote a body for (routing's 404 for an unknown route, its 405 for a
/// method the route lacks) gets a problem body, as every other API error has; pages keep the HTML not-found page that
/// the status-code re-execution renders.
/// </summary>
public sealed class ApiStatusProblemMiddleware(RequestDelegate next)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var response = context.Response;
        if (response.HasStarted || response.StatusCode < 400 || response.ContentLength > 0 || response.ContentType is not null
            || !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            return;
        await TypedResults.Problem(statusCode: response.StatusCode, title: TitleOf(response.StatusCode)).ExecuteAsync(context);
    }

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Not found: no such API route",
        StatusCodes.Status405MethodNotAllowed => "The route does not take this method; see Allow",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON: Content-Type: application/json",
        _ => "The request failed",
    };
}
