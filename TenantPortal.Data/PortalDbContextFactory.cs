using Microsoft.EntityFrameworkCore;

namespace TenantPortal.Data;

/// <summary>Hands out the provider's derived context as the base <see cref="PortalDbContext"/>.</summary>
internal sealed class PortalDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PortalDbContext>
    where TContext : PortalDbContext
{
    public PortalDbContext CreateDbContext() => inner.CreateDbContext();
}
