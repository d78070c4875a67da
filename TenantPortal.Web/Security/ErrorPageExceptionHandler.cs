using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;

namespace TenantPortal.Web.Security;

/// <summary>
/// Outside Development a failing page is answered by running the request again on <c>/Error</c>. Routed as a POST, that
/// run would find the page does not take POST (a 405 instead of the error page), and reading a form whose antiforgery
/// check failed throws. This handler runs before that re-execution (after <see cref="ApiExceptionHandler"/>, which
/// answers <c>/api</c> itself): it handles nothing, but makes the re-execution a GET without the first run's antiforgery
/// verdict, so a failed form post shows the error page like any other failure.
/// </summary>
public sealed class ErrorPageExceptionHandler : IExceptionHandler
{
    /// <summary>Prepares the re-execution; always lets it go ahead.</summary>
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsGet(httpContext.Request.Method) && !HttpMethods.IsHead(httpContext.Request.Method))
        {
            httpContext.Request.Method = HttpMethods.Get;
            httpContext.Features.Set<IAntiforgeryValidationFeature>(null);
        }
        return ValueTask.FromResult(false);
    }
}
