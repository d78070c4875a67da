namespace TenantPortal.Web.Security;

/// <summary>
/// With <c>Tenancy:RootDomain</c> set, the host names a tenant: <c>{slug}.{RootDomain}</c>, or a tenant's verified custom
/// domain (<see cref="TenantHosts"/>). The home page of such a host opens that tenant, and a tenant address of another
/// tenant on it is not found. Hosts compare ignoring case and a trailing dot. Membership is still checked by the tenant
/// pages, as for any address.
/// </summary>
public sealed class TenantHostMiddleware(RequestDelegate next)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context, TenantHosts hosts)
    {
        var slug = RequestHost.Of(context) is { } host ? await hosts.SlugForHostAsync(host.Name, context.RequestAborted) : null;
        if (slug is null)
        {
            await next(context);
            return;
        }
        var path = context.Request.Path.Value ?? "/";
        if (path == "/")
        {
            context.Response.Redirect($"/t/{slug}");
            return;
        }
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length >= 2 && segments[0].Equals("t", StringComparison.OrdinalIgnoreCase) && !segments[1].Equals(slug, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await next(context);
    }
}
