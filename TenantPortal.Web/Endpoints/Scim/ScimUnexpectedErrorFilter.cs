namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>
/// A failure nobody expected (a bug, the database gone) answers a SCIM client with a SCIM error body and the trace id,
/// logged, rather than the portal's HTML error page.
/// </summary>
public static class ScimUnexpectedErrorFilter
{
    /// <summary>The filter.</summary>
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            var http = context.HttpContext;
            var traceId = System.Diagnostics.Activity.Current?.Id ?? http.TraceIdentifier;
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ScimUnexpectedErrorFilter).FullName!)
                .LogError(ex, "SCIM request {Method} {Path} failed (trace {TraceId}).", http.Request.Method, http.Request.Path, traceId);
            return ScimResult.Failure(StatusCodes.Status500InternalServerError, null, $"An unexpected error occurred; it has been logged. Quote the trace id {traceId} when reporting it.");
        }
    }
}
