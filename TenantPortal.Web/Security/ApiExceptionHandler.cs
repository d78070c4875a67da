using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace TenantPortal.Web.Security;

/// <summary>
/// Outside Development, an unhandled exception on an <c>/api</c> route becomes a bare 500 problem body: a title and the
/// trace id to find the logged exception by, never its type, message or stack. Pages fall through to the <c>/Error</c> page.
/// </summary>
public sealed class ApiExceptionHandler : IExceptionHandler
{
    /// <summary>The title of the 500 problem.</summary>
    public const string Title = "An unexpected error occurred";

    /// <summary>Writes the problem for API requests; declines the others.</summary>
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The middleware may already have pointed the request at /Error: the feature keeps the path that failed.
        var path = new PathString(httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path.Value);
        if (!path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            return false;
        var traceId = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        await TypedResults.Problem(
                statusCode: StatusCodes.Status500InternalServerError,
                title: Title,
                detail: "The error has been logged; quote the trace id when reporting it.",
                extensions: new Dictionary<string, object?> { ["traceId"] = traceId })
            .ExecuteAsync(httpContext);
        return true;
    }
}
