using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Domains;
using TenantPortal.Core.Tenants;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Domains;

/// <summary>
/// Applies what a TXT lookup found to a domain, the same way for "Verify now" and the daily check: found verifies it
/// (unless another tenant holds the name verified) and forgets failed checks; not found counts a failed check of a
/// verified domain (once per UTC day) and, at the third, un-verifies it, clears the tenant's custom domain verification
/// when it is that name, audits <see cref="AuditActions.DomainUnverified"/> and adds the admins' notices. The caller saves,
/// then calls <see cref="AfterSaveAsync"/>.
/// </summary>
public sealed class DomainCheckRecorder(AuditWriter audit, DomainLossNotifier notifier, IEnumerable<IDomainRoutingObserver> observers)
{
    /// <summary>What applying a check did.</summary>
    /// <param name="JustVerified">The domain became verified.</param>
    /// <param name="Lost">The domain lost its verification.</param>
    /// <param name="TakenBy">Not verified because another tenant holds the name verified: the message.</param>
    /// <param name="Recipients">Emails to tell after the save, when lost.</param>
    public sealed record Applied(bool JustVerified, bool Lost, string? TakenBy, IReadOnlyList<string> Recipients);

    /// <summary>The message when another workspace holds the name verified (also for the unique index's refusal).</summary>
    public static string TakenMessage(string name) =>
        $"'{name}' is verified by another workspace. A domain is verified for one workspace at a time: that workspace has to remove it first.";

    /// <summary>Applies <paramref name="check"/> to <paramref name="domain"/> of <paramref name="tenant"/> (tracked by <paramref name="db"/>).</summary>
    public async Task<Applied> ApplyAsync(PortalDbContext db, Tenant tenant, TenantDomain domain, DomainCheck check, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (check.Found)
        {
            if (!domain.IsVerified && await VerifiedElsewhereAsync(db, domain, cancellationToken))
            {
                domain.RecordFailedCheck(now);
                return new Applied(false, false, TakenMessage(domain.Name), []);
            }
            var was = domain.IsVerified;
            domain.MarkVerified(now);
            tenant.CustomDomainProven(domain.Name, now);
            return new Applied(!was, false, null, []);
        }
        if (!domain.RecordFailedCheck(now))
            return new Applied(false, false, null, []);
        tenant.CustomDomainLost(domain.Name);
        audit.RecordSystem(db, tenant.Id, AuditActions.DomainUnverified, $"domain:{domain.Name}",
            $"TXT record {domain.RecordName} not found on {TenantDomain.FailedChecksBeforeUnverified} daily checks in a row; owners and admins notified");
        var recipients = await notifier.AddNoticesAsync(db, tenant, domain, now, cancellationToken);
        return new Applied(false, true, null, recipients);
    }

    /// <summary>After the save: a lost domain stops routing in this process at once, and the admins get their email.</summary>
    public async Task AfterSaveAsync(Tenant tenant, TenantDomain domain, Applied applied, CancellationToken cancellationToken)
    {
        if (!applied.Lost)
            return;
        HostChanged(domain.Name);
        await notifier.EmailAsync(tenant, domain, applied.Recipients, cancellationToken);
    }

    /// <summary>Tells the observers that <paramref name="host"/> may route elsewhere now.</summary>
    public void HostChanged(string host)
    {
        foreach (var observer in observers)
            observer.HostChanged(host);
    }

    // Which tenant holds a name verified is fleet-level data: read across tenants, only for this name.
    private static async Task<bool> VerifiedElsewhereAsync(PortalDbContext db, TenantDomain domain, CancellationToken cancellationToken)
    {
        using var _ = db.BeginCrossTenantScope("is a domain name verified by another tenant");
        return await db.TenantDomains.AsNoTracking().AnyAsync(d => d.Name == domain.Name && d.VerifiedAt != null && d.TenantId != domain.TenantId, cancellationToken);
    }
}
