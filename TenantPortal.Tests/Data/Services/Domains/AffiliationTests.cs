using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Domains;
using TenantPortal.Core.Members;
using TenantPortal.Core.Tenants;
using TenantPortal.Core.Usage;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Domains;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services.Domains;

/// <summary>
/// Sign-up affiliation: alpha verifies <c>alpha.test</c>, the domain of the bed's users; the "outsider" (no workspace)
/// is offered alpha (suggest) or joins it at once (auto) once their address is confirmed, never before, and not when
/// alpha has no free seat.
/// </summary>
public abstract class AffiliationTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : AffiliationTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : AffiliationTests(DatabaseProvider.PostgreSql);

    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);
    private readonly LocalDnsResponder _dns = new();
    private DomainTestServices _services = default!;

    public async Task InitializeAsync()
    {
        await _bed.InitializeAsync();
        _services = new DomainTestServices(_bed, _dns);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _dns.DisposeAsync();
        await _bed.DisposeAsync();
    }

    private Actor Outsider => _bed.ActorOf("outsider");

    private async Task AffiliateAsync(DomainAffiliation affiliation, TenantRole role)
    {
        var admin = _bed.ActorOf("admin");
        var domain = await _services.RunAsync<DomainService, Result<DomainRow>>(_bed.AlphaId, d => d.AddAsync(admin, "alpha.test", None));
        _dns.Txt[domain.Value.RecordName] = [domain.Value.RecordValue];
        await _services.RunAsync<DomainService, Result<DomainVerification>>(_bed.AlphaId, d => d.VerifyAsync(admin, domain.Value.Id, None));
        var set = await _services.RunAsync<DomainService, Result<DomainRow>>(_bed.AlphaId, d => d.SetAffiliationAsync(admin, domain.Value.Id, affiliation, role, None));
        Assert.True(set.IsSuccess, set.Error?.Message);
    }

    private async Task ConfirmOutsiderAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        var user = await db.Users.SingleAsync(u => u.Id == Outsider.UserId);
        user.EmailConfirmed = true;
        await db.SaveChangesAsync();
    }

    private Task<IReadOnlyList<DomainOffer>> OffersAsync() =>
        _services.RunAsync<DomainAffiliationService, IReadOnlyList<DomainOffer>>(null, a => a.OffersAsync(Outsider.UserId, None));

    private async Task<TenantRole?> OutsidersRoleAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.Members.Where(m => m.TenantId == _bed.AlphaId && m.UserId == Outsider.UserId).Select(m => (TenantRole?)m.Role).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task Suggest_OffersTheWorkspace_OnlyOnceTheEmailIsConfirmed_AndJoiningMakesAMemberAudited()
    {
        await AffiliateAsync(DomainAffiliation.Suggest, TenantRole.Admin);
        var unconfirmed = await OffersAsync();
        var refused = await _services.RunAsync<DomainAffiliationService, Result<DomainOffer>>(null, a => a.JoinAsync(Outsider, _bed.AlphaId, None));
        await ConfirmOutsiderAsync();

        var offers = await OffersAsync();
        var auto = await _services.RunAsync<DomainAffiliationService, IReadOnlyList<DomainJoinOutcome>>(null, a => a.JoinAutomaticallyAsync(Outsider, None));
        var joined = await _services.RunAsync<DomainAffiliationService, Result<DomainOffer>>(null, a => a.JoinAsync(Outsider, _bed.AlphaId, None));

        Assert.Empty(unconfirmed);
        Assert.Equal(ErrorCodes.NotFound, refused.Error?.Code);
        var offer = Assert.Single(offers);
        Assert.Equal((_bed.AlphaId, "alpha.test", DomainAffiliation.Suggest, TenantRole.Member), (offer.TenantId, offer.Domain, offer.Affiliation, offer.Role));
        Assert.Empty(auto); // suggest never joins by itself
        Assert.True(joined.IsSuccess, joined.Error?.Message);
        Assert.Equal(TenantRole.Member, await OutsidersRoleAsync());
        Assert.Empty(await OffersAsync());
        await using var db = _bed.Database.ForTenant(_bed.AlphaId);
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.MemberAdded);
        Assert.Equal(("member:outsider@alpha.test", Outsider.UserId), (entry.Target, entry.ActorUserId));
        Assert.Contains("alpha.test", entry.Details);
    }

    [Fact]
    public async Task Auto_JoinsAtOnceWithTheDomainsRole_WhenTheEmailIsConfirmed()
    {
        await AffiliateAsync(DomainAffiliation.Auto, TenantRole.Viewer);
        var beforeConfirmation = await _services.RunAsync<DomainAffiliationService, IReadOnlyList<DomainJoinOutcome>>(null, a => a.JoinAutomaticallyAsync(Outsider, None));
        await ConfirmOutsiderAsync();

        var outcomes = await _services.RunAsync<DomainAffiliationService, IReadOnlyList<DomainJoinOutcome>>(null, a => a.JoinAutomaticallyAsync(Outsider, None));

        Assert.Empty(beforeConfirmation);
        var outcome = Assert.Single(outcomes);
        Assert.True(outcome.Joined, outcome.Message);
        Assert.Equal(TenantRole.Viewer, await OutsidersRoleAsync());
    }

    [Fact]
    public async Task Auto_IntoAFullWorkspace_TellsTheUser_AndChangesNothing()
    {
        await AffiliateAsync(DomainAffiliation.Auto, TenantRole.Member);
        await ConfirmOutsiderAsync();
        await using (var db = _bed.Database.ForTenant(_bed.AlphaId))
        {
            // Six members and one pending invitation: seven seats, all taken or held.
            db.Add(new QuotaOverride { TenantId = _bed.AlphaId, Metric = UsageMetric.Users, Limit = 7, Reason = "test", CreatedAt = _bed.Time.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        var outcomes = await _services.RunAsync<DomainAffiliationService, IReadOnlyList<DomainJoinOutcome>>(null, a => a.JoinAutomaticallyAsync(Outsider, None));

        var outcome = Assert.Single(outcomes);
        Assert.False(outcome.Joined);
        Assert.Contains("no free seat", outcome.Message);
        Assert.Null(await OutsidersRoleAsync());
        await using var check = _bed.Database.ForTenant(_bed.AlphaId);
        Assert.False(await check.AuditEntries.AnyAsync(e => e.Action == AuditActions.MemberAdded));
    }

    [Fact]
    public async Task AnAffiliationTurnedOff_OrADomainNotVerified_OffersNothing()
    {
        await AffiliateAsync(DomainAffiliation.Off, TenantRole.Member);
        await ConfirmOutsiderAsync();
        var betaOwner = _bed.ActorOf("beta-owner");
        await _services.RunAsync<DomainService, Result<DomainRow>>(_bed.BetaId, d => d.AddAsync(betaOwner, "alpha.test", None));

        Assert.Empty(await OffersAsync());
    }
}
