using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Entitlements;
using TenantPortal.Data.Services.Entitlements;

namespace TenantPortal.Data.Services.Audit.Export;

/// <summary>
/// Exports the current tenant's audit log (Admin, or an API key with <c>audit:read</c>) when its plan includes
/// <c>audit_export</c>: checked, audited as <c>audit.exported</c>, then streamed by <see cref="AuditExporter"/>.
/// </summary>
public sealed class AuditExportService(IDbContextFactory<PortalDbContext> contexts, EntitlementService entitlements, AuditWriter audit, TimeProvider time)
{
    /// <summary>The target of the audit entry an export records.</summary>
    public const string Target = "audit_log";

    /// <summary>
    /// Checks the request, the actor's role (<see cref="TenantPermission.ViewAuditLog"/>) and the tenant's
    /// <c>audit_export</c> entitlement, fixes the log as it stands (its highest id), and records the export (the file
    /// does not include its own entry; the next export does). Nothing is written until the caller writes the export.
    /// </summary>
    public async Task<Result<AuditExport>> StartAsync(Actor actor, AuditExportRequest request, CancellationToken cancellationToken)
    {
        if (AuditExportRules.Check(request) is { } refused)
            return refused;
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewAuditLog, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var tenantId = gate.Value.TenantId;
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => new { t.Slug, t.Tier }).SingleOrDefaultAsync(cancellationToken);
        if (tenant is null)
            return Error.NotFound("This workspace was not found.");
        var included = await entitlements.RequireAsync(tenantId, EntitlementFeatures.AuditExport, "Exporting the audit log", cancellationToken);
        if (!included.IsSuccess)
            return included.Error;

        var lastId = await db.AuditEntries.Where(e => e.TenantId == tenantId).MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        audit.Record(db, tenantId, actor, AuditActions.AuditExported, Target, AuditExportRules.Details(request, lastId));
        await db.SaveChangesAsync(cancellationToken);

        var filter = request.Filter;
        return new AuditExport(AuditExportRules.FileName(tenant.Slug, request, time.GetUtcNow()), request.Format, lastId, async (output, ct) =>
        {
            // The scope's tenant context reads the rows (and PostgreSQL's row-level security with it); the tenant is also named.
            await using var reader = contexts.CreateDbContext();
            var entries = AuditQuery.Where(reader.AuditEntries.Where(e => e.TenantId == tenantId), filter);
            return await AuditExporter.WriteAsync(reader, entries, lastId, request.Format, withTenantSlugs: false, output, ct);
        });
    }

    /// <summary>Whether the current tenant's plan includes exporting its audit log (any member may ask; the page shows it).</summary>
    public async Task<Result<bool>> IncludedAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ViewAuditLog, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var entitlement = await entitlements.CheckAsync(gate.Value.TenantId, EntitlementFeatures.AuditExport, cancellationToken);
        return entitlement.IsSuccess && entitlement.Value.Enabled;
    }
}
