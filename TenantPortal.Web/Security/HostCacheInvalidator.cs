using Microsoft.Extensions.Caching.Memory;
using TenantPortal.Data.Services.Domains;

namespace TenantPortal.Web.Security;

/// <summary>Forgets a host's remembered tenant (<see cref="TenantHosts"/>) the moment its domain is removed or un-verified.</summary>
public sealed class HostCacheInvalidator(IMemoryCache cache) : IDomainRoutingObserver
{
    /// <inheritdoc />
    public void HostChanged(string host) => cache.Remove(TenantHosts.CacheKey(host));
}
