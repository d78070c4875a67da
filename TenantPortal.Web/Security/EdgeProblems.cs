namespace TenantPortal.Web.Security;

/// <summary>The short problem bodies the edge of the pipeline answers with, before any endpoint runs.</summary>
public static class EdgeProblems
{
    /// <summary>Writes an <c>application/problem+json</c> body with <paramref name="status"/>, a title, the detail and a stable code.</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["code"] = code }).ExecuteAsync(context);

    /// <summary>
    /// True for the endpoints probes and scrapers call by address and over plain HTTP inside a network (liveness,
    /// readiness, Prometheus): any well-formed host and scheme reaches them. They set no cookie and build no link.
    /// </summary>
    public static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);
}
