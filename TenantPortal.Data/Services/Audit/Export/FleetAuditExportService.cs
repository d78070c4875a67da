using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Operations;

namespace TenantPortal.Data.Services.Audit.Export;

/// <summary>
/// Exports the whole fleet's audit log for operators (every tenant's entries with their slug, and the fleet-level ones),
/// audited as <c>operator.audit_exported</c> and streamed by <see cref="AuditExporter"/>.
/// </summary>
public sealed class FleetAuditExportService(IDbContextFactory<PortalDbContext> contexts, ITenantContext tenantContext, AuditWriter audit, TimeProvider time)
{
    /// <summary>The target of the audit entry of a whole-fleet export (one tenant's is <c>tenant:{slug}</c>).</summary>
    public const string FleetTarget = "fleet_audit_log";

    /// <summary>
    /// Checks the request and the Operator role, fixes the log as it stands (its highest id) and records the export;
    /// <paramref name="tenantSlug"/> keeps one tenant's entries (exact slug, case-insensitive; an unknown one is refused).
    /// </summary>
    public async Task<Result<AuditExport>> StartAsync(Actor actor, string? tenantSlug, AuditExportRequest request, CancellationToken cancellationToken)
    {
        if (AuditExportRules.Check(request) is { } refused)
            return refused;
        using (tenantContext.BeginCrossTenantScope("operators exporting the fleet's audit log"))
        {
            await using var db = contexts.CreateDbContext();
            if (!await OperatorRole.IsOperatorAsync(db, actor, cancellationToken))
                return Error.Forbidden("Only operators can export the fleet's audit log.");
            Guid? tenantId = null;
            var slug = string.IsNullOrWhiteSpace(tenantSlug) ? null : tenantSlug.Trim().ToLowerInvariant();
            if (slug is not null)
            {
                tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => (Guid?)t.Id).SingleOrDefaultAsync(cancellationToken);
                if (tenantId is null)
                    return Error.Invalid("tenant", PlainText.IsClean(slug) && slug.Length <= 64 ? $"No tenant has the slug '{slug}'." : "No tenant has that slug.");
            }
            var lastId = await db.AuditEntries.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
            audit.Record(db, null, actor, AuditActions.OperatorAuditExported, slug is null ? FleetTarget : $"tenant:{slug}", AuditExportRules.Details(request, lastId));
            await db.SaveChangesAsync(cancellationToken);

            var filter = request.Filter;
            var fileName = AuditExportRules.FileName(slug ?? "fleet", request, time.GetUtcNow());
            return new AuditExport(fileName, request.Format, lastId, async (output, ct) =>
            {
                using var scope = tenantContext.BeginCrossTenantScope("operators exporting the fleet's audit log");
                await using var reader = contexts.CreateDbContext();
                var entries = AuditQuery.Where(reader.AuditEntries, filter);
                if (tenantId is { } id)
                    entries = entries.Where(e => e.TenantId == id);
                return await AuditExporter.WriteAsync(reader, entries, lastId, request.Format, withTenantSlugs: true, output, ct);
            });
        }
    }
}
