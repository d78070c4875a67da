using Microsoft.AspNetCore.Antiforgery;

namespace TenantPortal.Web.Security;

/// <summary>
/// Refuses a request to a minimal-API endpoint whose antiforgery token did not validate. The antiforgery middleware
/// only records the outcome; endpoints that bind a form check it themselves, this filter does it for those that do not
/// (a form post that only needs the cookie, such as the personal data download).
/// </summary>
public sealed class AntiforgeryValidationFilter : IEndpointFilter
{
    /// <summary>400 when the middleware found the token missing or invalid; otherwise the endpoint runs.</summary>
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A valid antiforgery token was not provided with the request.");
        return await next(context);
    }
}
