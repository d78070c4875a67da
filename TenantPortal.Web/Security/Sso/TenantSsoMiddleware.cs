using TenantPortal.Data.Services.Sso;

namespace TenantPortal.Web.Security.Sso;

/// <summary>
/// Before authentication: when the path names a connection (<c>/Account/Sso/{id}</c> or <c>/signin-oidc/{id}</c>), reads
/// it (applying now: on, in the plan, a verified domain left) and gives the request its handler options.
/// </summary>
public sealed class TenantSsoMiddleware(RequestDelegate next)
{
    /// <summary>Resolves the connection, then continues.</summary>
    public async Task InvokeAsync(HttpContext context, TenantSsoRequest request, SsoDirectory directory, TenantSsoOptionsCache cache)
    {
        if (TenantSso.ConnectionOf(context.Request.Path) is { } connectionId)
        {
            var client = await directory.FindClientAsync(connectionId, context.RequestAborted);
            request.Resolve(true, client, client is null ? null : cache.For(client));
        }
        await next(context);
    }
}
