using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Domains;
using TenantPortal.Core.Members;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Domains;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services.Domains;

/// <summary>
/// Claiming and verifying a domain against a DNS responder the test controls: pending until the TXT record holds the
/// token, a wrong value, no record and a DNS timeout leave it pending with a message saying which; a name another
/// workspace holds verified is refused; removing one tells the host routing.
/// </summary>
public abstract class DomainServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : DomainServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : DomainServiceTests(DatabaseProvider.PostgreSql);

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

    private Task<T> Alpha<T>(Func<DomainService, Task<T>> work) => _services.RunAsync(_bed.AlphaId, work);

    private Task<T> Beta<T>(Func<DomainService, Task<T>> work) => _services.RunAsync(_bed.BetaId, work);

    private Actor Admin => _bed.ActorOf("admin");

    [Fact]
    public async Task Add_StoresTheNameNormalized_PendingWithATokenOfAtLeast128Bits_AndAudits()
    {
        var added = await Alpha(d => d.AddAsync(Admin, "  Alpha-Corp.EXAMPLE. ", None));
        var other = await Alpha(d => d.AddAsync(Admin, "other.example", None));

        Assert.True(added.IsSuccess, added.Error?.Message);
        Assert.Equal("alpha-corp.example", added.Value.Name);
        Assert.Equal("Pending", added.Value.Status);
        Assert.Equal("_tenantportal.alpha-corp.example", added.Value.RecordName);
        Assert.StartsWith("tenantportal-verification=", added.Value.RecordValue);
        var token = added.Value.RecordValue["tenantportal-verification=".Length..];
        Assert.Matches("^[A-Za-z0-9_-]{32}$", token); // 24 random bytes, URL-safe
        Assert.NotEqual(added.Value.RecordValue, other.Value.RecordValue);
        await using var db = _bed.Database.ForTenant(_bed.AlphaId);
        Assert.Contains(await db.AuditEntries.ToListAsync(), e => e.Action == AuditActions.DomainAdded && e.Target == "domain:alpha-corp.example" && e.ActorUserId == Admin.UserId);
    }

    [Theory]
    [InlineData("alpha")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("https://alpha.example")]
    [InlineData("alpha.example:8080")]
    [InlineData("")]
    [InlineData(TenancyTestBed.PublicHost)]
    [InlineData(TenancyTestBed.RootDomain)]
    [InlineData("beta." + TenancyTestBed.RootDomain)]
    [InlineData("test")]
    public async Task Add_RefusesWhatIsNoDomainOfTheTenantsOwn_NamingTheField_AndChangesNothing(string input)
    {
        var result = await Alpha(d => d.AddAsync(Admin, input, None));

        Assert.Equal(("invalid", DomainService.NameField), (result.Error?.Code, result.Error?.Field));
        Assert.Empty((await Alpha(d => d.ListAsync(Admin, None))).Value);
    }

    [Fact]
    public async Task Add_RefusesANameTheTenantClaimedAlready()
    {
        await Alpha(d => d.AddAsync(Admin, "alpha.example", None));

        var again = await Alpha(d => d.AddAsync(Admin, "ALPHA.example", None));

        Assert.Equal(DomainService.NameField, again.Error?.Field);
        Assert.Single((await Alpha(d => d.ListAsync(Admin, None))).Value);
    }

    [Fact]
    public async Task Verify_PendingThenRecordPublished_IsVerified_Audited_AndAskedAgainEveryTime()
    {
        var domain = (await Alpha(d => d.AddAsync(Admin, "alpha.example", None))).Value;

        var before = await Alpha(d => d.VerifyAsync(Admin, domain.Id, None));
        _dns.Txt[domain.RecordName] = ["v=spf1 -all", domain.RecordValue];
        var after = await Alpha(d => d.VerifyAsync(Admin, domain.Id, None));
        var queries = _dns.Queries;
        var again = await Alpha(d => d.VerifyAsync(Admin, domain.Id, None));

        Assert.Equal(DomainCheckOutcome.NotFound, before.Value.Check.Outcome);
        Assert.Equal("Pending", before.Value.Domain.Status);
        Assert.Equal(DomainCheckOutcome.Found, after.Value.Check.Outcome);
        Assert.Equal("Verified", after.Value.Domain.Status);
        Assert.Equal(_bed.Time.GetUtcNow(), after.Value.Domain.VerifiedAt);
        Assert.True(again.Value.Check.Found);
        Assert.True(_dns.Queries > queries, "the second look asked DNS again (no cache)");
        await using var db = _bed.Database.ForTenant(_bed.AlphaId);
        Assert.Single(await db.AuditEntries.Where(e => e.Action == AuditActions.DomainVerified).ToListAsync());
    }

    [Fact]
    public async Task Verify_AWrongValue_StaysPending_AndSaysWhatItFound()
    {
        var domain = (await Alpha(d => d.AddAsync(Admin, "alpha.example", None))).Value;
        _dns.Txt[domain.RecordName] = ["tenantportal-verification=not-the-token"];

        var result = await Alpha(d => d.VerifyAsync(Admin, domain.Id, None));

        Assert.Equal(DomainCheckOutcome.WrongValue, result.Value.Check.Outcome);
        Assert.Contains(domain.RecordValue, result.Value.Check.Message);
        Assert.Null(result.Value.Domain.VerifiedAt);
        Assert.Equal(_bed.Time.GetUtcNow(), result.Value.Domain.LastCheckedAt);
    }

    [Fact]
    public async Task Verify_WhenDnsDoesNotAnswer_IsNotFoundThisTime_WithAClearMessage()
    {
        var domain = (await Alpha(d => d.AddAsync(Admin, "alpha.example", None))).Value;
        _dns.Txt[domain.RecordName] = [domain.RecordValue];
        _dns.Drop = true;

        var result = await Alpha(d => d.VerifyAsync(Admin, domain.Id, None));

        Assert.Equal(DomainCheckOutcome.Unreachable, result.Value.Check.Outcome);
        Assert.Contains("did not answer in time", result.Value.Check.Message);
        Assert.Null(result.Value.Domain.VerifiedAt);
    }

    [Fact]
    public async Task Verify_ANameAnotherWorkspaceHoldsVerified_IsRefused_AndStaysTheirs()
    {
        var betaOwner = _bed.ActorOf("beta-owner");
        var theirs = (await Beta(d => d.AddAsync(betaOwner, "shared.example", None))).Value;
        var ours = (await Alpha(d => d.AddAsync(Admin, "shared.example", None))).Value;
        _dns.Txt[theirs.RecordName] = [theirs.RecordValue, ours.RecordValue];
        Assert.True((await Beta(d => d.VerifyAsync(betaOwner, theirs.Id, None))).IsSuccess);

        var refused = await Alpha(d => d.VerifyAsync(Admin, ours.Id, None));

        Assert.Equal(ErrorCodes.Conflict, refused.Error?.Code);
        Assert.Contains("verified by another workspace", refused.Error?.Message);
        Assert.Null((await Alpha(d => d.ListAsync(Admin, None))).Value.Single().VerifiedAt);
        Assert.NotNull((await Beta(d => d.ListAsync(betaOwner, None))).Value.Single().VerifiedAt);
    }

    [Fact]
    public async Task TheUniqueIndex_RefusesASecondVerifiedHolder_WhatTheRaceWouldWrite()
    {
        var now = _bed.Time.GetUtcNow();
        await using (var db = _bed.Database.ForTenant(_bed.BetaId))
        {
            var theirs = TenantDomain.Claim(_bed.BetaId, "race.example", "t1", now);
            theirs.MarkVerified(now);
            db.TenantDomains.Add(theirs);
            await db.SaveChangesAsync();
        }
        await using var alpha = _bed.Database.ForTenant(_bed.AlphaId);
        var ours = TenantDomain.Claim(_bed.AlphaId, "race.example", "t2", now);
        ours.MarkVerified(now);
        alpha.TenantDomains.Add(ours);

        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => alpha.SaveChangesAsync());
        Assert.True(TenantPortal.Data.DbErrors.IsUniqueViolation(ex));
    }

    [Fact]
    public async Task Verify_TheTenantsCustomDomain_MarksItVerified_AndRemovingItUnverifiesIt_AndTellsTheRouting()
    {
        Assert.True((await _bed.In(_bed.AlphaId).Tenants.UpdateAsync(Admin, new("Alpha", null, "portal.alpha.example", _bed.AlphaStamp), None)).IsSuccess);
        var domain = (await Alpha(d => d.AddAsync(Admin, "portal.alpha.example", None))).Value;
        _dns.Txt[domain.RecordName] = [domain.RecordValue];

        await Alpha(d => d.VerifyAsync(Admin, domain.Id, None));
        var verified = (await _bed.In(_bed.AlphaId).Tenants.GetDetailsAsync(Admin, None)).Value.CustomDomainVerifiedAt;
        var removed = await Alpha(d => d.RemoveAsync(Admin, domain.Id, None));
        var afterRemove = (await _bed.In(_bed.AlphaId).Tenants.GetDetailsAsync(Admin, None)).Value.CustomDomainVerifiedAt;

        Assert.Equal(_bed.Time.GetUtcNow(), verified);
        Assert.True(removed.IsSuccess);
        Assert.Null(afterRemove);
        Assert.Equal(["portal.alpha.example"], _services.Routing.Hosts);
        Assert.Empty((await Alpha(d => d.ListAsync(Admin, None))).Value);
        await using var db = _bed.Database.ForTenant(_bed.AlphaId);
        Assert.Contains(await db.AuditEntries.ToListAsync(), e => e.Action == AuditActions.DomainRemoved && e.Details == "was verified");
    }

    [Fact]
    public async Task SetAffiliation_NeedsTheDomainVerified_NeverOwner_NorAboveTheActorsRole_AndIsAudited()
    {
        var domain = (await Alpha(d => d.AddAsync(Admin, "alpha.example", None))).Value;
        var unverified = await Alpha(d => d.SetAffiliationAsync(Admin, domain.Id, DomainAffiliation.Suggest, TenantRole.Member, None));
        _dns.Txt[domain.RecordName] = [domain.RecordValue];
        await Alpha(d => d.VerifyAsync(Admin, domain.Id, None));

        var owner = await Alpha(d => d.SetAffiliationAsync(Admin, domain.Id, DomainAffiliation.Auto, TenantRole.Owner, None));
        var auto = await Alpha(d => d.SetAffiliationAsync(Admin, domain.Id, DomainAffiliation.Auto, TenantRole.Admin, None));
        var undefined = await Alpha(d => d.SetAffiliationAsync(Admin, domain.Id, (DomainAffiliation)7, TenantRole.Member, None));

        Assert.Equal("affiliation", unverified.Error?.Field);
        Assert.Equal(DomainService.RoleField, owner.Error?.Field);
        Assert.Equal((DomainAffiliation.Auto, TenantRole.Admin), (auto.Value.Affiliation, auto.Value.AffiliationRole));
        Assert.Equal("affiliation", undefined.Error?.Field);
        await using var db = _bed.Database.ForTenant(_bed.AlphaId);
        Assert.Equal("off → auto (Admin)", (await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.DomainAffiliationChanged)).Details);
    }

    [Fact]
    public void TheDnsServerSetting_IsValidated_NamingTheKey()
    {
        Assert.True(DomainVerificationOptions.TryParseServer("10.0.0.2:53", out var v4));
        Assert.Equal(("10.0.0.2", 53), v4);
        Assert.True(DomainVerificationOptions.TryParseServer("[::1]:5353", out var v6));
        Assert.Equal(("::1", 5353), v6);
        Assert.True(DomainVerificationOptions.TryParseServer("dns.internal:53", out _));
        Assert.True(DomainVerificationOptions.TryParseServer("", out var none));
        Assert.Null(none);

        foreach (var bad in new[] { "10.0.0.2", "dns.internal", "dns.internal:0", "host:99999", "a..b:53", ":53" })
        {
            var options = new DomainVerificationOptions { DnsServer = bad };
            var messages = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(r => r.ErrorMessage).ToList();
            Assert.Contains(messages, m => m!.StartsWith("Tenancy:DnsServer", StringComparison.Ordinal));
        }
    }
}
