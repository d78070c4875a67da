using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Audit;
using TenantPortal.Data.Services.Sessions;
using TenantPortal.Data.Tenancy;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Sessions;

/// <summary>A user's own sessions: listed with the current one marked, revoked one by one or all at once, each audited without a tenant.</summary>
public abstract class UserSessionServiceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : UserSessionServiceTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : UserSessionServiceTests(DatabaseProvider.PostgreSql);

    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private DatabaseUserSessionStore Store() => new(_bed.In(null).Contexts, _bed.Time);

    // As a request of an account page builds it: no tenant.
    private UserSessionService Service() =>
        new(Store(), _bed.Database.CreateContext(new TenantContext()), new AuditWriter(_bed.Time), NullLogger<UserSessionService>.Instance);

    private Task<string> StartAsync(string user, string? userAgent = Firefox) =>
        Store().CreateAsync(new UserSessionStart(_bed.Users[user].Id, [1], _bed.Time.GetUtcNow().AddDays(1), "203.0.113.7", userAgent), CancellationToken.None);

    private async Task<List<AuditEntry>> AuditAsync()
    {
        await using var db = _bed.Database.CrossTenant();
        return await db.AuditEntries.Where(e => e.Action.StartsWith("session.")).OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task List_ShowsTheDevice_AndPutsTheCurrentSessionFirst()
    {
        var current = await StartAsync("owner", "curl/8.5.0");
        _bed.Time.Advance(TimeSpan.FromMinutes(5));
        var other = await StartAsync("owner");

        var sessions = await Service().ListAsync(_bed.Users["owner"].Id, current, CancellationToken.None);

        Assert.Equal([(current, true, "curl"), (other, false, "Firefox on Linux")], sessions.Select(s => (s.Id, s.IsCurrent, s.Device)));
        Assert.All(sessions, s => Assert.Equal("203.0.113.7", s.IpAddress));
    }

    [Fact]
    public async Task Revoke_EndsTheSession_AndRecordsAUserLevelAuditEntry()
    {
        var session = await StartAsync("owner");

        var result = await Service().RevokeAsync(_bed.ActorOf("owner"), session, CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.False(await Store().SeenAsync(session, null, CancellationToken.None));
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal((AuditActions.SessionRevoked, (Guid?)null, _bed.Users["owner"].Id, "session:Firefox on Linux", "203.0.113.7"),
            (entry.Action, entry.TenantId, entry.ActorUserId, entry.Target, entry.IpAddress));
    }

    [Fact]
    public async Task Revoke_IsNotFound_ForSomeoneElsesSession_AndChangesNothing()
    {
        var adminsSession = await StartAsync("admin");

        var result = await Service().RevokeAsync(_bed.ActorOf("owner"), adminsSession, CancellationToken.None);
        var empty = await Service().RevokeAsync(_bed.ActorOf("owner"), null, CancellationToken.None);

        Assert.Equal(ErrorCodes.NotFound, result.Error?.Code);
        Assert.Equal(ErrorCodes.NotFound, empty.Error?.Code);
        Assert.True(await Store().SeenAsync(adminsSession, null, CancellationToken.None));
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task RevokeOthers_KeepsTheCurrentSession_AndRevokeAll_EndsItToo_BothAudited()
    {
        var current = await StartAsync("owner");
        var other = await StartAsync("owner");
        var admins = await StartAsync("admin");

        var elsewhere = await Service().RevokeOthersAsync(_bed.ActorOf("owner"), current, CancellationToken.None);
        Assert.Equal(1, elsewhere);
        Assert.True(await Store().SeenAsync(current, null, CancellationToken.None));
        Assert.False(await Store().SeenAsync(other, null, CancellationToken.None));

        var everywhere = await Service().RevokeAllAsync(_bed.ActorOf("owner"), CancellationToken.None);
        Assert.Equal(1, everywhere);
        Assert.False(await Store().SeenAsync(current, null, CancellationToken.None));
        Assert.True(await Store().SeenAsync(admins, null, CancellationToken.None));

        Assert.Equal([AuditActions.SessionsRevokedElsewhere, AuditActions.SessionsRevokedEverywhere], (await AuditAsync()).Select(e => e.Action));
        Assert.All(await AuditAsync(), e => Assert.Null(e.TenantId));
    }
}
