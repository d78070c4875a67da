using Microsoft.Extensions.Logging;
using TenantPortal.Core.Audit;
using TenantPortal.Core.Common;
using TenantPortal.Core.Sessions;
using TenantPortal.Data.Services.Audit;

namespace TenantPortal.Data.Services.Sessions;

/// <summary>
/// A user's own sessions: the list, revoking one, signing out everywhere else or everywhere (each audited as a
/// user-level entry, with no tenant); and ending every session of a user when their credentials change or an operator
/// locks the account. A user only ever sees and ends their own sessions.
/// </summary>
public sealed class UserSessionService(IUserSessionStore store, PortalDbContext db, AuditWriter audit, ILogger<UserSessionService> logger)
{
    /// <summary>The active sessions of <paramref name="userId"/>, most recently seen first; <paramref name="currentSessionId"/> is marked.</summary>
    public async Task<IReadOnlyList<UserSessionRow>> ListAsync(string userId, string? currentSessionId, CancellationToken cancellationToken)
    {
        var sessions = await store.ListActiveAsync(userId, cancellationToken);
        return [.. sessions
            .Select(s => new UserSessionRow(s.Id, UserAgentDevice.Parse(s.UserAgent).ToString(), s.UserAgent, s.IpAddress, s.CreatedAt, s.LastSeenAt,
                s.Id == currentSessionId))
            .OrderByDescending(s => s.IsCurrent)];
    }

    /// <summary>Ends one of the actor's own sessions; not found when it is someone else's or has ended.</summary>
    public async Task<Result> RevokeAsync(Actor actor, string? sessionId, CancellationToken cancellationToken)
    {
        var session = string.IsNullOrEmpty(sessionId)
            ? null
            : (await store.ListActiveAsync(actor.UserId, cancellationToken)).FirstOrDefault(s => s.Id == sessionId);
        if (session is null || !await store.RevokeAsync(session.Id, actor.UserId, cancellationToken))
            return Error.NotFound("That session was not found; it may have ended already.");
        var device = UserAgentDevice.Parse(session.UserAgent);
        await RecordAsync(actor, AuditActions.SessionRevoked, $"session:{device}",
            $"Signed in {session.CreatedAt:yyyy-MM-dd HH:mm} UTC from {session.IpAddress ?? "an unknown address"}", cancellationToken);
        return Result.Success();
    }

    /// <summary>Ends every session of the actor but <paramref name="currentSessionId"/>; returns how many ended.</summary>
    public async Task<int> RevokeOthersAsync(Actor actor, string? currentSessionId, CancellationToken cancellationToken)
    {
        var ended = await store.RevokeAllAsync(actor.UserId, currentSessionId, cancellationToken);
        await RecordAsync(actor, AuditActions.SessionsRevokedElsewhere, $"user:{actor.Display}", $"{ended} other session(s) ended", cancellationToken);
        return ended;
    }

    /// <summary>Ends every session of the actor, the current one included; returns how many ended.</summary>
    public async Task<int> RevokeAllAsync(Actor actor, CancellationToken cancellationToken)
    {
        var ended = await store.RevokeAllAsync(actor.UserId, null, cancellationToken);
        await RecordAsync(actor, AuditActions.SessionsRevokedEverywhere, $"user:{actor.Display}", $"{ended} session(s) ended", cancellationToken);
        return ended;
    }

    /// <summary>
    /// Ends every session of <paramref name="userId"/> but <paramref name="keepSessionId"/> (the acting user's own, when
    /// they changed their password or second factor and stay signed in) because of <paramref name="reason"/>.
    /// </summary>
    public async Task<int> EndAllAsync(string userId, string? keepSessionId, string reason, CancellationToken cancellationToken)
    {
        var ended = await store.RevokeAllAsync(userId, keepSessionId, cancellationToken);
        logger.LogInformation("Ended {Count} session(s) of user {UserId}: {Reason}", ended, userId, reason);
        return ended;
    }

    private async Task RecordAsync(Actor actor, string action, string target, string details, CancellationToken cancellationToken)
    {
        using var scope = db.BeginCrossTenantScope("user-level audit entry of a session the user ended (no tenant)");
        audit.Record(db, null, actor, action, target, details);
        await db.SaveChangesAsync(cancellationToken);
    }
}
