using Microsoft.EntityFrameworkCore;
using TenantPortal.Data.Options;
using TenantPortal.Data.Services.Sessions;
using TenantPortal.Tests.Infrastructure;

namespace TenantPortal.Tests.Data.Sessions;

/// <summary>The database session store on a real SQLite file, with a fake clock.</summary>
public abstract class DatabaseUserSessionStoreTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class Sqlite() : DatabaseUserSessionStoreTests(DatabaseProvider.Sqlite);

    public sealed class PostgreSql() : DatabaseUserSessionStoreTests(DatabaseProvider.PostgreSql);

    private static readonly byte[] Ticket = [1, 2, 3];
    private readonly TenancyTestBed _bed = TenancyTestBed.On(provider);

    public Task InitializeAsync() => _bed.InitializeAsync();
    public Task DisposeAsync() => _bed.DisposeAsync();

    private DatabaseUserSessionStore Store() => new(_bed.In(null).Contexts, _bed.Time);

    private string UserId(string name) => _bed.Users[name].Id;

    private Task<string> StartAsync(string user, TimeSpan? lifetime = null, string? userAgent = "curl/8.5.0") =>
        Store().CreateAsync(new UserSessionStart(UserId(user), Ticket, _bed.Time.GetUtcNow().Add(lifetime ?? TimeSpan.FromDays(14)), "203.0.113.7", userAgent),
            CancellationToken.None);

    private async Task<(DateTimeOffset LastSeen, string? Ip)> SightingAsync(string sessionId)
    {
        await using var db = _bed.Database.CrossTenant();
        var row = await db.UserSessions.SingleAsync(s => s.Id == sessionId);
        return (row.LastSeenAt, row.IpAddress);
    }

    [Fact]
    public async Task Create_GivesARandomId_AndFindReturnsTheTicket_WhileTheSessionIsActive()
    {
        var first = await StartAsync("owner");
        var second = await StartAsync("owner");

        Assert.NotEqual(first, second);
        Assert.True(first.Length >= 43, "256 random bits");
        Assert.Equal(Ticket, await Store().FindTicketAsync(first, null, CancellationToken.None));
        Assert.True(await Store().SeenAsync(first, null, CancellationToken.None));
        Assert.Null(await Store().FindTicketAsync("no-such-session", null, CancellationToken.None));
    }

    [Fact]
    public async Task FindTicket_WritesLastSeenAndAddress_AtMostOnceAMinute()
    {
        var id = await StartAsync("owner");
        var started = _bed.Time.GetUtcNow();

        _bed.Time.Advance(TimeSpan.FromSeconds(59));
        await Store().FindTicketAsync(id, "198.51.100.1", CancellationToken.None);
        Assert.Equal((started, "203.0.113.7"), await SightingAsync(id));

        _bed.Time.Advance(TimeSpan.FromSeconds(1));
        await Store().FindTicketAsync(id, "198.51.100.1", CancellationToken.None);
        Assert.Equal((started.AddMinutes(1), "198.51.100.1"), await SightingAsync(id));

        _bed.Time.Advance(TimeSpan.FromSeconds(30));
        await Store().SeenAsync(id, "198.51.100.2", CancellationToken.None);
        Assert.Equal((started.AddMinutes(1), "198.51.100.1"), await SightingAsync(id));

        _bed.Time.Advance(TimeSpan.FromSeconds(30));
        await Store().SeenAsync(id, null, CancellationToken.None);
        Assert.Equal((started.AddMinutes(2), "198.51.100.1"), await SightingAsync(id));
    }

    [Fact]
    public async Task Revoke_EndsTheSession_AndDropsItsTicket()
    {
        var id = await StartAsync("owner");

        Assert.True(await Store().RevokeAsync(id, null, CancellationToken.None));

        Assert.Null(await Store().FindTicketAsync(id, null, CancellationToken.None));
        Assert.False(await Store().SeenAsync(id, null, CancellationToken.None));
        Assert.False(await Store().RevokeAsync(id, null, CancellationToken.None));
        await using var db = _bed.Database.CrossTenant();
        var row = await db.UserSessions.SingleAsync(s => s.Id == id);
        Assert.Empty(row.Ticket);
        Assert.Equal(_bed.Time.GetUtcNow(), row.RevokedAt);
    }

    [Fact]
    public async Task Revoke_WithAUser_EndsOnlyThatUsersSession()
    {
        var id = await StartAsync("owner");

        Assert.False(await Store().RevokeAsync(id, UserId("admin"), CancellationToken.None));
        Assert.True(await Store().SeenAsync(id, null, CancellationToken.None));
        Assert.True(await Store().RevokeAsync(id, UserId("owner"), CancellationToken.None));
    }

    [Fact]
    public async Task Find_ReturnsNothing_OnceTheSessionExpired()
    {
        var id = await StartAsync("owner", TimeSpan.FromHours(1));

        _bed.Time.Advance(TimeSpan.FromHours(1));

        Assert.Null(await Store().FindTicketAsync(id, null, CancellationToken.None));
        Assert.False(await Store().SeenAsync(id, null, CancellationToken.None));
    }

    [Fact]
    public async Task Renew_ReplacesTheTicketAndExpiry_OfTheSameUsersActiveSession()
    {
        var id = await StartAsync("owner", TimeSpan.FromHours(1));
        _bed.Time.Advance(TimeSpan.FromMinutes(50));

        var renewed = await Store().RenewAsync(id, UserId("owner"), [9, 9], _bed.Time.GetUtcNow().AddHours(1), CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromMinutes(30));

        Assert.True(renewed);
        Assert.Equal([9, 9], await Store().FindTicketAsync(id, null, CancellationToken.None));
    }

    [Fact]
    public async Task Renew_ForAnotherUser_TakesNothingOver_AndEndsTheSession()
    {
        var id = await StartAsync("owner");

        var renewed = await Store().RenewAsync(id, UserId("admin"), [9, 9], _bed.Time.GetUtcNow().AddDays(1), CancellationToken.None);

        Assert.False(renewed);
        Assert.Null(await Store().FindTicketAsync(id, null, CancellationToken.None));
        Assert.Empty(await Store().ListActiveAsync(UserId("admin"), CancellationToken.None));
    }

    [Fact]
    public async Task Renew_NeverRevivesAnEndedSession()
    {
        var id = await StartAsync("owner");
        await Store().RevokeAsync(id, null, CancellationToken.None);

        var renewed = await Store().RenewAsync(id, UserId("owner"), [9, 9], _bed.Time.GetUtcNow().AddDays(1), CancellationToken.None);

        Assert.False(renewed);
        Assert.Null(await Store().FindTicketAsync(id, null, CancellationToken.None));
    }

    [Fact]
    public async Task RevokeAll_EndsEveryOtherSessionOfTheUser_AndNoOneElses()
    {
        var kept = await StartAsync("owner");
        var other = await StartAsync("owner");
        var third = await StartAsync("owner");
        var someoneElse = await StartAsync("admin");

        var ended = await Store().RevokeAllAsync(UserId("owner"), kept, CancellationToken.None);

        Assert.Equal(2, ended);
        Assert.True(await Store().SeenAsync(kept, null, CancellationToken.None));
        Assert.False(await Store().SeenAsync(other, null, CancellationToken.None));
        Assert.False(await Store().SeenAsync(third, null, CancellationToken.None));
        Assert.True(await Store().SeenAsync(someoneElse, null, CancellationToken.None));
        Assert.Equal(1, await Store().RevokeAllAsync(UserId("owner"), null, CancellationToken.None));
        Assert.False(await Store().SeenAsync(kept, null, CancellationToken.None));
    }

    [Fact]
    public async Task ListActive_IsTheUsersActiveSessions_MostRecentlySeenFirst()
    {
        var older = await StartAsync("owner", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0");
        _bed.Time.Advance(TimeSpan.FromMinutes(5));
        var newer = await StartAsync("owner");
        var ended = await StartAsync("owner");
        await Store().RevokeAsync(ended, null, CancellationToken.None);
        await StartAsync("admin");
        _bed.Time.Advance(TimeSpan.FromMinutes(5));
        await Store().SeenAsync(older, "198.51.100.9", CancellationToken.None);

        var sessions = await Store().ListActiveAsync(UserId("owner"), CancellationToken.None);

        Assert.Equal([older, newer], sessions.Select(s => s.Id));
        Assert.Equal("198.51.100.9", sessions[0].IpAddress);
        Assert.Contains("Firefox", sessions[0].UserAgent);
    }

    [Fact]
    public async Task RemoveEnded_DeletesExpiredAndRevokedSessions_AndKeepsActiveOnes()
    {
        var active = await StartAsync("owner", TimeSpan.FromDays(1));
        var expiring = await StartAsync("owner", TimeSpan.FromHours(1));
        var revoked = await StartAsync("admin");
        await Store().RevokeAsync(revoked, null, CancellationToken.None);
        _bed.Time.Advance(TimeSpan.FromHours(2));

        var removed = await Store().RemoveEndedAsync(CancellationToken.None);

        Assert.Equal(2, removed);
        await using var db = _bed.Database.CrossTenant();
        Assert.Equal([active], await db.UserSessions.Select(s => s.Id).ToListAsync());
        Assert.NotEqual(expiring, active);
    }

    [Fact]
    public async Task Create_KeepsTheUserAgentShort_WithoutControlOrBidiCharacters()
    {
        var id = await StartAsync("owner", userAgent: "Evil\r\n\u202EAgent/1.0 " + new string('x', 2000));

        var session = Assert.Single(await Store().ListActiveAsync(UserId("owner"), CancellationToken.None));
        Assert.Equal(id, session.Id);
        Assert.Equal(DatabaseUserSessionStore.UserAgentLength, session.UserAgent!.Length);
        Assert.StartsWith("EvilAgent/1.0 ", session.UserAgent);
    }
}
