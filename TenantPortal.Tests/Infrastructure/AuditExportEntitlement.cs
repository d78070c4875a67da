using TenantPortal.Core.Entitlements;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>Gives a test bed's tenant the <c>audit_export</c> feature its Starter plan leaves out, as an operator's override does.</summary>
public static class AuditExportEntitlement
{
    /// <summary>Adds the override (before the bed's entitlement cache has loaded the tenant).</summary>
    public static async Task GrantAuditExportAsync(this TenancyTestBed bed, Guid tenantId)
    {
        await using var db = bed.Database.CrossTenant();
        db.EntitlementOverrides.Add(new EntitlementOverride
        {
            TenantId = tenantId, Feature = EntitlementFeatures.AuditExport, Enabled = true, Reason = "test", CreatedAt = bed.Time.GetUtcNow(), CreatedBy = "test",
        });
        await db.SaveChangesAsync();
    }
}
