using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Tests.Infrastructure;

/// <summary>The SCIM admin services over a test bed's scope, as AddDataServices builds them, and the bed's alpha given the <c>scim</c> entitlement.</summary>
public static class ScimMatrix
{
    public static ScimTokenService Tokens(TenancyTestBed.Scope scope, TenancyTestBed bed) =>
        new(scope.Contexts, new AuditWriter(bed.Time), scope.Entitlements, bed.Addresses, bed.Time);

    public static ScimRoleMappingService Mappings(TenancyTestBed.Scope scope, TenancyTestBed bed) =>
        new(scope.Contexts, new AuditWriter(bed.Time), scope.Entitlements, bed.Time);

    /// <summary>Moves alpha to Professional, whose plan includes SCIM (before anything read its entitlements).</summary>
    public static async Task EntitleAlphaAsync(TenancyTestBed.Scope scope, TenancyTestBed bed)
    {
        await using var db = scope.Contexts.CreateDbContext();
        await db.Tenants.Where(t => t.Id == bed.AlphaId).ExecuteUpdateAsync(s => s.SetProperty(t => t.Tier, SubscriptionTier.Professional));
    }
}
