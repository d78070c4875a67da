using Microsoft.EntityFrameworkCore;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Benchmarks.Infrastructure;

/// <summary>
/// Creates SQLite contexts working for one tenant, as the portal's scoped factory does within a request: the options
/// (and so the compiled model) are built once, each context is new.
/// </summary>
internal sealed class TenantDbContextFactory : IDbContextFactory<PortalDbContext>
{
    private readonly DbContextOptions<SqlitePortalDbContext> _options;
    private readonly TenantContext _tenant = new();

    public TenantDbContextFactory(string connectionString, Guid tenantId)
    {
        _options = new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(connectionString).Options;
        _tenant.SetTenant(tenantId);
    }

    /// <summary>The tenant context the contexts work for.</summary>
    public TenantContext Tenant => _tenant;

    public PortalDbContext CreateDbContext() => new SqlitePortalDbContext(_options, _tenant);
}
