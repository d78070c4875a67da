using Microsoft.EntityFrameworkCore;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Domains;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services;
using TenantPortal.Data.Services.Domains;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Services.Domains;

/// <summary>
/// The daily recheck (<c>domain-verification</c>): a verified domain whose record is gone fails once per UTC day, a run
/// repeated the same day counts nothing more, a success in between forgets the failures, and the third failed day
/// un-verifies it, tells the owners and admins (notice and email) once, audits it and tells the host routing.
/// </summary>
public abstract class DomainCheckJobTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : DomainCheckJobTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : DomainCheckJobTests(DatabaseProvider.PostgreSql);

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

    private Actor Admin => _bed.ActorOf("admin");

    private Task<DomainCheckSummary> RunJobAsync() => _services.RunAsync<DomainCheckService, DomainCheckSummary>(null, c => c.RunAsync(None));

    private async Task<DomainRow> StatusAsync() =>
        (await _services.RunAsync<DomainService, TenantPortal.Core.Common.Result<IReadOnlyList<DomainRow>>>(_bed.AlphaId, d => d.ListAsync(Admin, None))).Value.Single();

    private async Task<DomainRow> VerifiedDomainAsync()
    {
        var domain = await _services.RunAsync<DomainService, TenantPortal.Core.Common.Result<DomainRow>>(_bed.AlphaId, d => d.AddAsync(Admin, "alpha.example", None));
        _dns.Txt[domain.Value.RecordName] = [domain.Value.RecordValue];
        var verified = await _services.RunAsync<DomainService, TenantPortal.Core.Common.Result<DomainVerification>>(_bed.AlphaId, d => d.VerifyAsync(Admin, domain.Value.Id, None));
        Assert.True(verified.Value.Domain.IsVerified);
        return verified.Value.Domain;
    }

    [Fact]
    public async Task ThreeFailedDays_UnverifyTheDomain_AndTellTheOwnersAndAdminsOnce_ThoughRunTwiceADay()
    {
        var domain = await VerifiedDomainAsync();
        _dns.Txt.Clear();
        var statuses = new List<string>();

        for (var day = 1; day <= 3; day++)
        {
            _bed.Time.Advance(TimeSpan.FromDays(1));
            await RunJobAsync();
            _bed.Time.Advance(TimeSpan.FromHours(3));
            await RunJobAsync(); // the same UTC day (noon, then 15:00): counts nothing more
            statuses.Add((await StatusAsync()).Status);
        }

        Assert.Equal(["Failing 1 of 3", "Failing 2 of 3", "Pending"], statuses);
        Assert.Null((await StatusAsync()).VerifiedAt);
        await using var db = _bed.Database.ForTenant(_bed.AlphaId);
        var notices = await db.Notifications.Where(n => n.DeduplicationKey!.StartsWith("domain-unverified:")).ToListAsync();
        Assert.Equal(new[] { "admin", "owner", "owner2" }.Select(n => _bed.Users[n].Id).Order(), notices.Select(n => n.UserId).Order());
        Assert.All(notices, n => Assert.Equal($"/t/{TenancyTestBed.AlphaSlug}/settings/domains", n.Link));
        var emails = _bed.Mail.Sent.Where(m => m.Subject.Contains("alpha.example is no longer verified", StringComparison.Ordinal)).Select(m => m.To).Order().ToList();
        Assert.Equal(new[] { "admin@alpha.test", "owner2@alpha.test", "owner@alpha.test" }.Order(), emails);
        var audit = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.DomainUnverified);
        Assert.Equal("domain:alpha.example", audit.Target);
        Assert.Equal(["alpha.example"], _services.Routing.Hosts);
        // Once un-verified it is no longer rechecked daily.
        _bed.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, (await RunJobAsync()).Checked);
        _ = domain;
    }

    [Fact]
    public async Task ASuccessInBetween_ForgetsTheFailures()
    {
        var domain = await VerifiedDomainAsync();
        _dns.Txt.Clear();
        _bed.Time.Advance(TimeSpan.FromDays(1));
        await RunJobAsync();
        _bed.Time.Advance(TimeSpan.FromDays(1));
        await RunJobAsync();
        var failingTwice = (await StatusAsync()).Status;

        _dns.Txt[domain.RecordName] = [domain.RecordValue];
        _bed.Time.Advance(TimeSpan.FromDays(1));
        var found = await RunJobAsync();
        _dns.Txt.Clear();
        _bed.Time.Advance(TimeSpan.FromDays(1));
        await RunJobAsync();
        _bed.Time.Advance(TimeSpan.FromDays(1));
        await RunJobAsync();

        Assert.Equal("Failing 2 of 3", failingTwice);
        Assert.Equal(new DomainCheckSummary(1, 0, 0), found);
        Assert.Equal("Failing 2 of 3", (await StatusAsync()).Status);
        Assert.Empty(_bed.Mail.Sent);
    }

    [Fact]
    public async Task ADnsTimeout_CountsAsNotFoundThisTime()
    {
        await VerifiedDomainAsync();
        _dns.Drop = true;
        _bed.Time.Advance(TimeSpan.FromDays(1));

        var summary = await RunJobAsync();

        Assert.Equal(new DomainCheckSummary(1, 1, 0), summary);
        Assert.Equal("Failing 1 of 3", (await StatusAsync()).Status);
    }

    [Fact]
    public async Task DeletingTheTenant_DeletesItsDomains()
    {
        await VerifiedDomainAsync();

        var deleted = await _bed.In(_bed.AlphaId).Tenants.DeleteAsync(_bed.ActorOf("owner"), TenancyTestBed.AlphaSlug, None);

        Assert.True(deleted.IsSuccess, deleted.Error?.Message);
        await using var db = _bed.Database.CrossTenant();
        Assert.False(await db.TenantDomains.AnyAsync(d => d.TenantId == _bed.AlphaId));
    }

    [Fact]
    public void TheAggregate_CountsOneFailurePerUtcDay()
    {
        var start = new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.Zero);
        var domain = TenantDomain.Claim(Guid.NewGuid(), "alpha.example", "token", start);
        domain.MarkVerified(start);

        var first = domain.RecordFailedCheck(start.AddMinutes(30));   // 1 Dec
        var sameDay = domain.RecordFailedCheck(start.AddMinutes(50)); // 1 Dec again
        var second = domain.RecordFailedCheck(start.AddHours(2));     // 2 Dec (01:00)
        var third = domain.RecordFailedCheck(start.AddDays(2));       // 3 Dec

        Assert.Equal((false, false, false, true), (first, sameDay, second, third));
        Assert.False(domain.IsVerified);
    }
}
