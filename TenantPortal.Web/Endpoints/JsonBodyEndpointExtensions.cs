using TenantPortal.Web.Endpoints.Management;

namespace TenantPortal.Web.Endpoints;

/// <summary>Declares the JSON body of an <c>/api/v1</c> endpoint (see <see cref="JsonBodyMetadata"/>).</summary>
public static class JsonBodyEndpointExtensions
{
    /// <summary>
    /// The endpoint reads a JSON body documented by <typeparamref name="T"/>: a request with another Content-Type (or
    /// none) is refused with 415 and a problem naming the body before the handler runs; <c>application/json</c> with
    /// any charset and <c>+json</c> types are JSON.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new JsonBodyMetadata(typeof(T)))
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.Request.HasJsonContentType() ? await next(context) : ApiBody.UnsupportedMediaType());
}
