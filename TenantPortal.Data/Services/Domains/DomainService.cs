using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Authorization;
using TenantPortal.Core.Common;
using TenantPortal.Core.Domains;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Tenants;

namespace TenantPortal.Data.Services.Domains;

/// <summary>
/// The current tenant's domains (Admin, <see cref="TenantPermission.ManageIdentity"/>): claim one (normalized like the
/// custom domain, never one of the portal's own hosts), see the TXT record that proves it, verify it now, set its
/// sign-up affiliation, remove it. Every change is audited.
/// </summary>
public sealed class DomainService(
    IDbContextFactory<PortalDbContext> contexts,
    IPortalAddresses portal,
    DomainVerifier verifier,
    DomainCheckRecorder recorder,
    AuditWriter audit,
    TimeProvider time)
{
    /// <summary>How many domains one tenant may claim.</summary>
    public const int MaxDomainsPerTenant = 20;

    /// <summary>The field errors about the domain's name name.</summary>
    public const string NameField = "domain";

    /// <summary>The field errors about the affiliation's role name.</summary>
    public const string RoleField = "role";

    /// <summary>The tenant's domains, by name.</summary>
    public async Task<Result<IReadOnlyList<DomainRow>>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var domains = await db.TenantDomains.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken);
        return domains.Select(DomainRow.Of).ToList();
    }

    /// <summary>Claims a domain: pending until its TXT record is found. Refused for a name the tenant claimed already.</summary>
    public async Task<Result<DomainRow>> AddAsync(Actor actor, string? name, CancellationToken cancellationToken)
    {
        var valid = TenantInput.Domain(name, portal, NameField, "The domain");
        if (!valid.IsSuccess)
            return valid.Error;
        if (valid.Value is not { } host)
            return Error.Invalid(NameField, "Enter the domain, such as acme.com.");
        if (HostNames.IsSameOrSubdomainOf(portal.PublicHost, host))
            return Error.Invalid(NameField, $"'{host}' holds the portal's own address; use a domain of your own, such as acme.com.");
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        if (await db.TenantDomains.AnyAsync(d => d.Name == host, cancellationToken))
            return Error.Invalid(NameField, $"'{host}' is already in the list.");
        if (await db.TenantDomains.CountAsync(cancellationToken) >= MaxDomainsPerTenant)
            return Error.Invalid(NameField, $"A workspace can have at most {MaxDomainsPerTenant} domains; remove one you no longer use first.");
        var domain = TenantDomain.Claim(gate.Value.TenantId, host, SecretHasher.NewToken(24), time.GetUtcNow());
        db.TenantDomains.Add(domain);
        audit.Record(db, domain.TenantId, actor, AuditActions.DomainAdded, $"domain:{host}", $"TXT record {domain.RecordName}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            return Error.Invalid(NameField, $"'{host}' is already in the list.");
        }
        return DomainRow.Of(domain);
    }

    /// <summary>
    /// Looks the TXT record up now and applies what DNS said: found verifies the domain (unless another workspace holds
    /// it verified); not found leaves a pending domain pending and counts a failed check of a verified one (once a day).
    /// A DNS error or timeout is "not found this time". The message says what DNS answered.
    /// </summary>
    public async Task<Result<DomainVerification>> VerifyAsync(Actor actor, Guid domainId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var domain = await db.TenantDomains.SingleOrDefaultAsync(d => d.Id == domainId, cancellationToken);
        if (domain is null)
            return Error.NotFound("That domain was not found.");
        var tenant = await db.Tenants.SingleAsync(t => t.Id == gate.Value.TenantId, cancellationToken);
        var check = await verifier.CheckAsync(domain, cancellationToken);
        var applied = await recorder.ApplyAsync(db, tenant, domain, check, time.GetUtcNow(), cancellationToken);
        if (applied.JustVerified)
            audit.Record(db, tenant.Id, actor, AuditActions.DomainVerified, $"domain:{domain.Name}", $"TXT record {domain.RecordName} found");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // Another workspace verified the same name between the look and this save: the filtered unique index refused it.
            return new Error(ErrorCodes.Conflict, DomainCheckRecorder.TakenMessage(domain.Name), NameField);
        }
        await recorder.AfterSaveAsync(tenant, domain, applied, cancellationToken);
        if (applied.TakenBy is { } taken)
            return new Error(ErrorCodes.Conflict, taken, NameField);
        return new DomainVerification(DomainRow.Of(domain), check);
    }

    /// <summary>
    /// Sets what the domain does for sign-ups: off, suggest (offered to join, as Member) or auto (joins at once with
    /// <paramref name="role"/>). Needs the domain verified for anything but off; the role is never Owner and never above
    /// the actor's own.
    /// </summary>
    public async Task<Result<DomainRow>> SetAffiliationAsync(Actor actor, Guid domainId, DomainAffiliation affiliation, TenantRole role, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(affiliation))
            return Error.Invalid("affiliation", "Choose off, suggest or auto.");
        if (!Enum.IsDefined(role))
            return Error.Invalid(RoleField, "Choose Viewer, Member or Admin.");
        if (role == TenantRole.Owner)
            return Error.Invalid(RoleField, "Nobody joins as Owner through a domain; choose Viewer, Member or Admin.");
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        if (role > gate.Value.Role)
            return new Error(ErrorCodes.RoleEscalation, $"You can't let people join as {role}, above your own role ({gate.Value.Role}).", RoleField);
        var domain = await db.TenantDomains.SingleOrDefaultAsync(d => d.Id == domainId, cancellationToken);
        if (domain is null)
            return Error.NotFound("That domain was not found.");
        if (affiliation != DomainAffiliation.Off && !domain.IsVerified)
            return Error.Invalid("affiliation", $"Verify {domain.Name} first: only a verified domain brings people in.");
        if (domain.Affiliation == affiliation && domain.AffiliationRole == role)
            return DomainRow.Of(domain);
        var before = Describe(domain.Affiliation, domain.AffiliationRole);
        domain.SetAffiliation(affiliation, role);
        audit.Record(db, domain.TenantId, actor, AuditActions.DomainAffiliationChanged, $"domain:{domain.Name}",
            $"{before} → {Describe(affiliation, role)}");
        await db.SaveChangesAsync(cancellationToken);
        return DomainRow.Of(domain);
    }

    /// <summary>Removes the domain: it stops routing and affiliating at once (and frees the name for another workspace).</summary>
    public async Task<Result> RemoveAsync(Actor actor, Guid domainId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var gate = await TenantGate.RequireAsync(db, actor, TenantPermission.ManageIdentity, cancellationToken);
        if (!gate.IsSuccess)
            return gate.Error;
        var domain = await db.TenantDomains.SingleOrDefaultAsync(d => d.Id == domainId, cancellationToken);
        if (domain is null)
            return Error.NotFound("That domain was not found.");
        if (domain.IsVerified)
        {
            var tenant = await db.Tenants.SingleAsync(t => t.Id == gate.Value.TenantId, cancellationToken);
            tenant.CustomDomainLost(domain.Name);
        }
        db.TenantDomains.Remove(domain);
        audit.Record(db, domain.TenantId, actor, AuditActions.DomainRemoved, $"domain:{domain.Name}", domain.IsVerified ? "was verified" : "was pending");
        await db.SaveChangesAsync(cancellationToken);
        recorder.HostChanged(domain.Name);
        return Result.Success();
    }

    private static string Describe(DomainAffiliation affiliation, TenantRole role) => affiliation switch
    {
        DomainAffiliation.Auto => $"auto ({role})",
        DomainAffiliation.Suggest => "suggest",
        _ => "off",
    };
}
