using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using TenantPortal.Core.Tenants;
using TenantPortal.Data;

namespace TenantPortal.Web.Security;

/// <summary>
/// Which tenant a host name stands for, with <c>Tenancy:RootDomain</c> set: <c>{slug}.{RootDomain}</c>, a tenant's
/// verified domain (Settings, Domains: a <c>TenantDomain</c> whose TXT record was found), or a tenant's custom domain
/// once it is verified (an unverified one stands for nobody). Without a root domain, no host does.
/// </summary>
public sealed class TenantHosts(PortalAddresses addresses, IMemoryCache cache, IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext)
{
    // A verified domain is remembered this long. A domain removed or un-verified in this process is forgotten at once
    // (HostCacheInvalidator); another instance of the portal may route it for up to this long.
    private static readonly TimeSpan CustomDomainCacheTime = TimeSpan.FromMinutes(1);

    /// <summary>The cache key a host's tenant is remembered under.</summary>
    public static string CacheKey(string host) => $"custom-domain:{host}";

    /// <summary>
    /// The slug <paramref name="host"/> (normalized, see <see cref="RequestHost"/>) stands for, or null for the portal's
    /// own hosts and for hosts of no tenant. A host of no tenant is looked up every time (and not remembered, so that
    /// made-up hosts can't fill the cache); a domain routes as soon as it is verified.
    /// </summary>
    public async ValueTask<string?> SlugForHostAsync(string host, CancellationToken cancellationToken)
    {
        if (host == addresses.PublicHost)
            return null;
        // {slug}.{Tenancy:RootDomain} when a root domain is set; verified custom domains route with or without one.
        if (addresses.RootDomain is { } root)
        {
            if (host == root)
                return null;
            if (host.EndsWith("." + root, StringComparison.Ordinal))
                return addresses.TenantSlugOf(host);
        }
        var key = CacheKey(host);
        if (cache.TryGetValue(key, out string? cached))
            return cached;
        string? slug;
        // Which tenant owns a host is fleet-level routing data, read before any tenant is known.
        using (tenantContext.BeginCrossTenantScope("custom domain routing"))
        {
            await using var db = contexts.CreateDbContext();
            // One tenant holds a name verified at a time (a filtered unique index); the tenant filter hides deleted tenants.
            slug = await db.TenantDomains.Where(d => d.Name == host && d.VerifiedAt != null)
                       .Join(db.Tenants, d => d.TenantId, t => t.Id, (d, t) => t.Slug).FirstOrDefaultAsync(cancellationToken)
                   ?? await db.Tenants.Where(t => t.CustomDomain == host && t.CustomDomainVerifiedAt != null)
                       .Select(t => t.Slug).SingleOrDefaultAsync(cancellationToken);
        }
        if (slug is not null)
            cache.Set(key, slug, CustomDomainCacheTime);
        return slug;
    }
}
