using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantPortal.Core.Tenants;

namespace TenantPortal.Data.Services.Domains;

/// <summary>
/// The daily recheck (the <c>domain-verification</c> job): every verified domain of every tenant is looked up again; a
/// record found forgets earlier failures, one not found counts a failure (at most one per domain and UTC day, so a run
/// repeated, late or concurrent the same day counts once) and the third in a row un-verifies the domain and tells the
/// tenant's owners and admins (<see cref="DomainCheckRecorder"/>). Each tenant runs in a scope of its own
/// (<see cref="TenantJobRunner"/>).
/// </summary>
public sealed class DomainCheckService(
    TenantJobRunner runner,
    IDbContextFactory<PortalDbContext> contexts,
    ITenantContext tenantContext,
    DomainVerifier verifier,
    DomainCheckRecorder recorder,
    TimeProvider time,
    ILogger<DomainCheckService> logger)
{
    /// <summary>Checks the verified domains of every tenant holding one.</summary>
    public async Task<DomainCheckSummary> RunAsync(CancellationToken cancellationToken)
    {
        List<Guid> tenantIds;
        using (tenantContext.BeginCrossTenantScope("domain verification: the tenants holding verified domains"))
        {
            await using var db = contexts.CreateDbContext();
            tenantIds = await db.TenantDomains.AsNoTracking().Where(d => d.VerifiedAt != null)
                .Select(d => d.TenantId).Distinct().OrderBy(id => id).ToListAsync(cancellationToken);
        }
        var results = await runner.ForEachAsync("Domain verification", tenantIds,
            (services, ct) => services.GetRequiredService<DomainCheckService>().CheckCurrentTenantAsync(ct), cancellationToken);
        return results.Aggregate(DomainCheckSummary.None, (sum, r) => sum + r);
    }

    /// <summary>Checks the verified domains of the current tenant, each saved on its own.</summary>
    public async Task<DomainCheckSummary> CheckCurrentTenantAsync(CancellationToken cancellationToken)
    {
        if (tenantContext.TenantId is null)
            throw new InvalidOperationException("The domain check needs a current tenant.");
        List<Guid> ids;
        await using (var db = contexts.CreateDbContext())
            ids = await db.TenantDomains.AsNoTracking().Where(d => d.VerifiedAt != null).OrderBy(d => d.Name).Select(d => d.Id).ToListAsync(cancellationToken);
        var summary = DomainCheckSummary.None;
        foreach (var id in ids)
            summary += await CheckOneAsync(id, cancellationToken);
        return summary;
    }

    private async Task<DomainCheckSummary> CheckOneAsync(Guid domainId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var domain = await db.TenantDomains.SingleOrDefaultAsync(d => d.Id == domainId && d.VerifiedAt != null, cancellationToken);
        if (domain is null)
            return DomainCheckSummary.None; // removed or un-verified meanwhile
        var tenant = await db.Tenants.SingleAsync(t => t.Id == domain.TenantId, cancellationToken);
        var check = await verifier.CheckAsync(domain, cancellationToken);
        var applied = await recorder.ApplyAsync(db, tenant, domain, check, time.GetUtcNow(), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // A concurrent run saved the same day's loss (its notices hold the key): it has told the admins.
            logger.LogInformation("The loss of domain {Domain} was recorded by a concurrent run", domain.Name);
            return new DomainCheckSummary(1, 1, 0);
        }
        await recorder.AfterSaveAsync(tenant, domain, applied, cancellationToken);
        if (!check.Found)
            logger.LogInformation("Domain {Domain} of tenant {TenantId}: {Message} ({Failures} failed checks)", domain.Name, tenant.Id, check.Message, domain.FailedChecks);
        return new DomainCheckSummary(1, check.Found ? 0 : 1, applied.Lost ? 1 : 0);
    }
}
