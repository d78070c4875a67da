using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Common;
using TenantPortal.Core.Domains;
using TenantPortal.Core.Members;
using TenantPortal.Data.Services.Members;

namespace TenantPortal.Data.Services.Domains;

/// <summary>
/// Sign-up affiliation: a user whose confirmed email address is on a workspace's verified domain is offered to join it
/// (<see cref="DomainAffiliation.Suggest"/>, as Member) or joins it at once with the domain's role
/// (<see cref="DomainAffiliation.Auto"/>, when the email is confirmed). An unconfirmed address never joins anything.
/// Every join goes through <see cref="MemberProvisioner"/>: the seat quota holds and the join is audited.
/// </summary>
/// <remarks>
/// Cross-tenant by design, like accepting an invitation: the user is not a member yet. The reads are by the user's own
/// email domain, and only verified domains with an affiliation are matched (exactly: <c>eu.acme.com</c> does not match
/// <c>acme.com</c>).
/// </remarks>
public sealed class DomainAffiliationService(IDbContextFactory<PortalDbContext> contexts, MemberProvisioner provisioner)
{
    /// <summary>The workspaces the user may join through their email domain and is not a member of; none while the email is unconfirmed.</summary>
    public async Task<IReadOnlyList<DomainOffer>> OffersAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        return await OffersAsync(db, userId, cancellationToken);
    }

    /// <summary>Joins a workspace the user is offered (suggest or auto), with the offer's role; refused when no seat is free.</summary>
    public async Task<Result<DomainOffer>> JoinAsync(Actor actor, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var offer = (await OffersAsync(db, actor.UserId, cancellationToken)).FirstOrDefault(o => o.TenantId == tenantId);
        if (offer is null)
            return Error.NotFound("That workspace does not take people in through your email domain (or you are a member already).");
        return await ProvisionAsync(db, actor, offer, cancellationToken);
    }

    /// <summary>
    /// Joins every workspace whose verified domain is the user's email domain with affiliation auto (called when the
    /// address is confirmed). A full workspace is reported, and nothing else changes.
    /// </summary>
    public async Task<IReadOnlyList<DomainJoinOutcome>> JoinAutomaticallyAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var outcomes = new List<DomainJoinOutcome>();
        foreach (var offer in (await OffersAsync(db, actor.UserId, cancellationToken)).Where(o => o.Affiliation == DomainAffiliation.Auto))
        {
            var joined = await ProvisionAsync(db, actor, offer, cancellationToken);
            outcomes.Add(joined.IsSuccess
                ? new DomainJoinOutcome(offer, true, $"You joined {offer.TenantName} as {offer.Role}, through your address on {offer.Domain}.")
                : new DomainJoinOutcome(offer, false, joined.Error.Code == ErrorCodes.SeatLimitReached
                    ? $"{offer.TenantName} takes people on {offer.Domain} in, but it has no free seat: ask one of its admins to make room."
                    : joined.Error.Message));
        }
        return outcomes;
    }

    private async Task<Result<DomainOffer>> ProvisionAsync(PortalDbContext db, Actor actor, DomainOffer offer, CancellationToken cancellationToken)
    {
        var email = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.Email).SingleAsync(cancellationToken);
        using var _ = db.BeginCrossTenantScope("joining a workspace through a verified email domain");
        var added = await provisioner.AddAsync(db, offer.TenantId, actor.UserId, email ?? actor.Display, offer.Role, actor,
            $"through the verified domain {offer.Domain} ({offer.Affiliation.ToString().ToLowerInvariant()})", cancellationToken);
        if (!added.IsSuccess)
            return added.Error.Code == ErrorCodes.SeatLimitReached
                ? new Error(ErrorCodes.SeatLimitReached, $"{offer.TenantName} has no free seat right now: ask one of its admins to make room, then try again.")
                : added.Error;
        return offer;
    }

    private static async Task<IReadOnlyList<DomainOffer>> OffersAsync(PortalDbContext db, string userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Email, u.EmailConfirmed }).SingleOrDefaultAsync(cancellationToken);
        if (user is not { EmailConfirmed: true, Email: { } email })
            return [];
        var at = email.LastIndexOf('@');
        var domain = at < 0 ? null : HostNames.Normalize(email[(at + 1)..].Trim());
        if (domain is null)
            return [];
        using var _ = db.BeginCrossTenantScope("a user's email domain among the verified domains");
        var rows = await (
            from d in db.TenantDomains
            where d.Name == domain && d.VerifiedAt != null && d.Affiliation != DomainAffiliation.Off
            join t in db.Tenants on d.TenantId equals t.Id
            where !db.Members.Any(m => m.TenantId == t.Id && m.UserId == userId)
            select new { t.Id, TenantName = t.Name, t.Slug, d.Affiliation, d.AffiliationRole }).ToListAsync(cancellationToken);
        return rows.Select(r => new DomainOffer(r.Id, r.TenantName, r.Slug, domain, r.Affiliation,
                r.Affiliation == DomainAffiliation.Auto ? r.AffiliationRole : TenantRole.Member))
            .OrderBy(o => o.TenantName, StringComparer.CurrentCultureIgnoreCase).ToList();
    }
}
