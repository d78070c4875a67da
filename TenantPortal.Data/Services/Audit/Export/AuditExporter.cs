using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;

namespace TenantPortal.Data.Services.Audit.Export;

/// <summary>
/// The one export of audit entries, behind the API, the Settings download and the operators' fleet export: reads the
/// entries oldest first by keyset — (OccurredAt, Id) after the last row sent, <see cref="BatchSize"/> at a time, no
/// tracking — and writes each batch to the output before reading the next, so memory holds one batch whatever the size
/// of the log. Entries with an id above <c>lastId</c> (written after the export began, its own entry included) are left
/// out: the file is the log as it stood when the export started.
/// </summary>
public static class AuditExporter
{
    /// <summary>Entries read and written at a time.</summary>
    public const int BatchSize = 1_000;

    /// <summary>
    /// Writes every entry of <paramref name="entries"/> with an id up to <paramref name="lastId"/> to
    /// <paramref name="output"/> in <paramref name="format"/>, oldest first; with <paramref name="withTenantSlugs"/>, each
    /// with its tenant's slug (the fleet's log; empty for fleet-level entries and deleted tenants). Returns the number of
    /// entries written.
    /// </summary>
    public static async Task<long> WriteAsync(PortalDbContext db, IQueryable<AuditEntry> entries, long lastId, AuditExportFormat format,
        bool withTenantSlugs, Stream output, CancellationToken cancellationToken)
    {
        var slugs = new Dictionary<Guid, string?>();
        var written = 0L;
        await using var writer = AuditExportWriter.For(format, output, withTenantSlugs);
        writer.WriteStart();
        var snapshot = entries.AsNoTracking().Where(e => e.Id <= lastId);
        List<AuditEntry> batch;
        (DateTimeOffset At, long Id)? after = null;
        do
        {
            var page = snapshot;
            if (after is { } a)
                page = page.Where(e => e.OccurredAt > a.At || (e.OccurredAt == a.At && e.Id > a.Id));
            batch = await page.OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (withTenantSlugs)
                await AddSlugsAsync(db, batch, slugs, cancellationToken);
            foreach (var entry in batch)
                writer.Write(new FleetAuditRow(entry, withTenantSlugs && entry.TenantId is { } t ? slugs[t] : null));
            written += batch.Count;
            if (batch.Count == BatchSize)
                after = (batch[^1].OccurredAt, batch[^1].Id);
            await writer.FlushAsync(cancellationToken);
        }
        while (batch.Count == BatchSize);
        writer.WriteEnd();
        await writer.FlushAsync(cancellationToken);
        return written;
    }

    // The slugs of the batch's tenants not met yet (a fleet has far fewer tenants than entries); a deleted tenant has none.
    private static async Task AddSlugsAsync(PortalDbContext db, List<AuditEntry> batch, Dictionary<Guid, string?> slugs, CancellationToken cancellationToken)
    {
        var missing = batch.Where(e => e.TenantId is { } t && !slugs.ContainsKey(t)).Select(e => e.TenantId!.Value).Distinct().ToList();
        if (missing.Count == 0)
            return;
        var found = await db.Tenants.AsNoTracking().Where(t => missing.Contains(t.Id)).Select(t => new { t.Id, t.Slug }).ToListAsync(cancellationToken);
        foreach (var id in missing)
            slugs[id] = found.FirstOrDefault(f => f.Id == id)?.Slug;
    }
}
