using Microsoft.EntityFrameworkCore;
using TenantPortal.Data;
using TenantPortal.Data.Tenancy;

namespace TenantPortal.Benchmarks.Load;

/// <summary>
/// Contexts on a load database for one tenant context, the options built once as the portal's factory does: for running
/// the portal's services (the rollup, the quota check) in the harness itself.
/// </summary>
public sealed class LoadContextFactory : IDbContextFactory<PortalDbContext>
{
    private readonly LoadDatabase _database;
    private readonly DbContextOptions _options;

    /// <summary>Contexts working for <paramref name="tenantId"/>, or across tenants (for <paramref name="reason"/>) when null.</summary>
    public LoadContextFactory(LoadDatabase database, Guid? tenantId, string reason = "load harness arrangement")
    {
        _database = database;
        _options = database.Options();
        if (tenantId is { } id)
            Tenant.SetTenant(id);
        else
            Tenant.BeginCrossTenantScope(reason);
    }

    /// <summary>The tenant context the contexts work for.</summary>
    public TenantContext Tenant { get; } = new();

    /// <inheritdoc />
    public PortalDbContext CreateDbContext() => _database.CreateContext(_options, Tenant);
}
