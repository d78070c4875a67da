using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;
using TenantPortal.Web.Options;

namespace TenantPortal.Web.Security;

/// <summary>
/// With <c>Tenancy:RootDomain</c> set, the host names a tenant: <c>{slug}.{RootDomain}</c>, or a tenant's custom domain.
/// The home page of such a host opens that tenant, and a tenant address of another tenant on it is not found.
/// Membership is still checked by the tenant pages, as for any address.
/// </summary>
public sealed class TenantHostMiddleware(RequestDelegate next, IOptions<TenancyOptions> options, IMemoryCache cache)
{
    private static readonly TimeSpan CustomDomainCacheTime = TimeSpan.FromMinutes(1);

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context, IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext)
    {
        var root = options.Value.RootDomain;
        if (string.IsNullOrEmpty(root))
        {
            await next(context);
            return;
        }
        var slug = await SlugForHostAsync(context.Request.Host.Host.ToLowerInvariant(), root, contexts, tenantContext, context.RequestAborted);
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
        if (segments.Length >= 2 && segments[0] == "t" && segments[1] != slug)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await next(context);
    }

    /// <summary>The tenant slug a host name stands for, or null for the portal's own host and unknown hosts.</summary>
    public async Task<string?> SlugForHostAsync(string host, string root, IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext, CancellationToken cancellationToken)
    {
        if (host == root)
            return null;
        if (host.EndsWith("." + root, StringComparison.Ordinal))
        {
            var label = host[..^(root.Length + 1)];
            return TenantSlug.Validate(label).IsSuccess ? label : null;
        }
        return await cache.GetOrCreateAsync($"custom-domain:{host}", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CustomDomainCacheTime;
            // Which tenant owns a host is fleet-level routing data, read before any tenant is known.
            using var scope = tenantContext.BeginCrossTenantScope("custom domain routing");
            await using var db = contexts.CreateDbContext();
            return await db.Tenants.Where(t => t.CustomDomain == host).Select(t => t.Slug).SingleOrDefaultAsync(cancellationToken);
        });
    }
}
