using Microsoft.EntityFrameworkCore;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Contexts of a load database sharing one tenant context, for running the portal's own services in the harness (e.g.
/// the metering rollup once after bulk-inserting events, or a fleet query timed in process).
/// </summary>
public sealed class LoadContextFactory(LoadDatabase database) : IDbContextFactory<PortalDbContext>
{
    /// <summary>The tenant context every context of this factory filters by.</summary>
    public TenantContext TenantContext { get; } = new();

    /// <inheritdoc />
    public PortalDbContext CreateDbContext() =>
        new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite(database.ConnectionString).Options, TenantContext);
}
