using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TenantPortal.Data.Identity;

namespace TenantPortal.Data.Services.Sessions;

/// <summary>
/// Sessions in the portal database (<c>UserSessions</c>), so that every instance sees a sign-out at once. Each call uses
/// a short-lived context of its own: the ticket store is asked on every request, next to whatever the request's
/// context tracks. Ended sessions are marked (<see cref="UserSession.RevokedAt"/>, ticket dropped) and deleted by the
/// <c>session-cleanup</c> job with the expired ones.
/// </summary>
public sealed class DatabaseUserSessionStore(IDbContextFactory<PortalDbContext> contexts, TimeProvider time) : IUserSessionStore
{
    /// <summary>The id column's length (an id is 43 characters: 256 random bits in base64url).</summary>
    public const int IdLength = 64;

    /// <summary>How much of a <c>User-Agent</c> is kept.</summary>
    public const int UserAgentLength = 512;

    /// <summary>Last seen is written at most this often per session: reading a session on every request must not write every time.</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public async Task<string> CreateAsync(UserSessionStart session, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.UserSessions.Add(new UserSession
        {
            Id = id,
            UserId = session.UserId,
            Ticket = session.Ticket,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = session.ExpiresAt,
            IpAddress = Shorten(session.IpAddress, 45),
            UserAgent = Shorten(session.UserAgent, UserAgentLength),
        });
        await db.SaveChangesAsync(cancellationToken);
        return id;
    }

    /// <inheritdoc />
    public async Task<byte[]?> FindTicketAsync(string sessionId, string? ipAddress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await Active(db, now).Where(s => s.Id == sessionId)
            .Select(s => new { s.Ticket, s.LastSeenAt }).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
            return null;
        await NoteSightingAsync(db, sessionId, row.LastSeenAt, ipAddress, now, cancellationToken);
        return row.Ticket;
    }

    /// <inheritdoc />
    public async Task<bool> SeenAsync(string sessionId, string? ipAddress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lastSeen = await Active(db, now).Where(s => s.Id == sessionId)
            .Select(s => (DateTimeOffset?)s.LastSeenAt).SingleOrDefaultAsync(cancellationToken);
        if (lastSeen is null)
            return false;
        await NoteSightingAsync(db, sessionId, lastSeen.Value, ipAddress, now, cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> RenewAsync(string sessionId, string userId, byte[] ticket, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var owner = await Active(db, now).Where(s => s.Id == sessionId).Select(s => s.UserId).SingleOrDefaultAsync(cancellationToken);
        if (owner is null)
            return false;
        if (owner != userId)
        {
            await RevokeWhere(db.UserSessions.Where(s => s.Id == sessionId), now, cancellationToken);
            return false;
        }
        // Conditional on the session still being active, so that a renewal racing a revocation never revives it.
        var renewed = await db.UserSessions.Where(s => s.Id == sessionId && s.UserId == userId && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, ticket).SetProperty(x => x.ExpiresAt, expiresAt).SetProperty(x => x.LastSeenAt, now),
                cancellationToken);
        return renewed == 1;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UserSessionInfo>> ListActiveAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Active(db, now).Where(s => s.UserId == userId)
            .OrderByDescending(s => s.LastSeenAt).ThenByDescending(s => s.CreatedAt)
            .Select(s => new UserSessionInfo(s.Id, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.IpAddress, s.UserAgent))
            .ToListAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> RevokeAsync(string sessionId, string? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Active(db, now).Where(s => s.Id == sessionId);
        if (userId is not null)
            query = query.Where(s => s.UserId == userId);
        return await RevokeWhere(query, now, cancellationToken) == 1;
    }

    /// <inheritdoc />
    public async Task<int> RevokeAllAsync(string userId, string? exceptSessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Active(db, now).Where(s => s.UserId == userId);
        if (exceptSessionId is not null)
            query = query.Where(s => s.Id != exceptSessionId);
        return await RevokeWhere(query, now, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> RemoveEndedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.UserSessions.Where(s => s.RevokedAt != null || s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }

    private static IQueryable<UserSession> Active(PortalDbContext db, DateTimeOffset now) =>
        db.UserSessions.AsNoTracking().Where(s => s.RevokedAt == null && s.ExpiresAt > now);

    // The ticket goes with the session: nothing of an ended session stays usable, even to someone reading the table.
    private static Task<int> RevokeWhere(IQueryable<UserSession> sessions, DateTimeOffset now, CancellationToken cancellationToken) =>
        sessions.Where(s => s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.Ticket, Array.Empty<byte>()), cancellationToken);

    private static async Task NoteSightingAsync(PortalDbContext db, string sessionId, DateTimeOffset lastSeen, string? ipAddress, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (now - lastSeen < LastSeenResolution)
            return;
        var ip = Shorten(ipAddress, 45);
        await db.UserSessions.Where(s => s.Id == sessionId && s.RevokedAt == null).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(x => x.LastSeenAt, now);
            if (ip is not null)
                s.SetProperty(x => x.IpAddress, ip);
        }, cancellationToken);
    }

    // Header values are the client's to choose: kept short, without control characters or invisible formatting (such as
    // bidirectional overrides) that would make a list of sessions read differently from what was sent.
    private static string? Shorten(string? value, int length)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var clean = new string([.. value.Where(c => !char.IsControl(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format)]).Trim();
        return clean.Length == 0 ? null : clean.Length > length ? clean[..length] : clean;
    }
}
