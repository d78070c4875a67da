using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;

namespace TenantPortal.Web.Security;

/// <summary>
/// Which tenant a host name stands for, with <c>Tenancy:RootDomain</c> set: <c>{slug}.{RootDomain}</c>, or a tenant's
/// custom domain once it is verified (an unverified one stands for nobody). Without a root domain, no host does.
/// </summary>
public sealed class TenantHosts(PortalAddresses addresses, IMemoryCache cache, IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext)
{
    // A verified domain is remembered this long, so a changed or removed one may route for up to this long.
    private static readonly TimeSpan CustomDomainCacheTime = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The slug <paramref name="host"/> (normalized, see <see cref="RequestHost"/>) stands for, or null for the portal's
    /// own hosts and for hosts of no tenant. A host of no tenant is looked up every time (and not remembered, so that
    /// made-up hosts can't fill the cache); a domain routes as soon as it is verified.
    /// </summary>
    public async ValueTask<string?> SlugForHostAsync(string host, CancellationToken cancellationToken)
    {
        if (addresses.RootDomain is not { } root || host == root || host == addresses.PublicHost)
            return null;
        if (host.EndsWith("." + root, StringComparison.Ordinal))
            return addresses.TenantSlugOf(host);
        var key = $"custom-domain:{host}";
        if (cache.TryGetValue(key, out string? cached))
            return cached;
        string? slug;
        // Which tenant owns a host is fleet-level routing data, read before any tenant is known.
        using (tenantContext.BeginCrossTenantScope("custom domain routing"))
        {
            await using var db = contexts.CreateDbContext();
            slug = await db.Tenants.Where(t => t.CustomDomain == host && t.CustomDomainVerifiedAt != null)
                .Select(t => t.Slug).SingleOrDefaultAsync(cancellationToken);
        }
        if (slug is not null)
            cache.Set(key, slug, CustomDomainCacheTime);
        return slug;
    }
}
