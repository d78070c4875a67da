using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Tenancy;

/// <summary>
/// Checks every added, changed or deleted tenant-owned row before it is saved: outside a cross-tenant
/// scope it must belong to the current tenant. A new row with no tenant gets the current one.
/// </summary>
public static class TenantSaveGuard
{
    /// <summary>Stamps and checks the tracked rows; throws <see cref="TenantIsolationException"/> on a foreign row.</summary>
    public static void Apply(ChangeTracker changeTracker, ITenantContext tenant)
    {
        if (tenant.IsCrossTenant)
            return;
        foreach (var entry in changeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
                continue;
            switch (entry.Entity)
            {
                case ITenantOwned owned:
                    if (entry.State == EntityState.Added && owned.TenantId == Guid.Empty && tenant.TenantId is { } current)
                        owned.TenantId = current;
                    Check(entry, owned.TenantId, tenant.TenantId);
                    if (entry.State == EntityState.Modified
                        && entry.Property(nameof(ITenantOwned.TenantId)).OriginalValue is Guid original && original != owned.TenantId)
                        throw new TenantIsolationException($"A {entry.Metadata.ClrType.Name} can't be moved to another tenant.");
                    break;
                case AuditEntry audit:
                    Check(entry, audit.TenantId, tenant.TenantId);
                    break;
                case Tenant t when entry.State != EntityState.Added:
                    Check(entry, t.Id, tenant.TenantId);
                    break;
            }
        }
    }

    private static void Check(EntityEntry entry, Guid? rowTenant, Guid? currentTenant)
    {
        if (currentTenant is null)
            throw new TenantIsolationException(
                $"Refusing to save a {entry.Metadata.ClrType.Name} with no current tenant; operator and job code must open a cross-tenant scope.");
        if (rowTenant != currentTenant)
            throw new TenantIsolationException(
                $"Refusing to save a {entry.Metadata.ClrType.Name} of tenant {rowTenant} while working for tenant {currentTenant}.");
    }
}
