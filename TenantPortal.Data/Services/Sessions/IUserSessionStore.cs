namespace TenantPortal.Data.Services.Sessions;

/// <summary>
/// Where the server-side halves of sign-in cookies live (<see cref="Identity.UserSession"/>): the portal database by
/// default (<see cref="DatabaseUserSessionStore"/>); another store (Redis, say) can take its place behind this interface.
/// A session is active from its creation until it is revoked or expires; only active sessions are found, renewed,
/// listed or seen. Tickets are opaque bytes here (the web layer serializes and protects them).
/// </summary>
public interface IUserSessionStore
{
    /// <summary>Starts a session and returns its new random id.</summary>
    Task<string> CreateAsync(UserSessionStart session, CancellationToken cancellationToken);

    /// <summary>
    /// The ticket of an active session, or null. Notes the sighting (last seen, address), written at most once per
    /// <see cref="DatabaseUserSessionStore.LastSeenResolution"/> so that reading a session rarely writes.
    /// </summary>
    Task<byte[]?> FindTicketAsync(string sessionId, string? ipAddress, CancellationToken cancellationToken);

    /// <summary>True while the session is active; notes the sighting like <see cref="FindTicketAsync"/>.</summary>
    Task<bool> SeenAsync(string sessionId, string? ipAddress, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces an active session's ticket and expiry. Returns false, and changes nothing, when the session has ended;
    /// returns false and ends the session when it belongs to another user than <paramref name="userId"/> (someone else
    /// signed in with that browser: their ticket must never be filed under a key another cookie may hold).
    /// </summary>
    Task<bool> RenewAsync(string sessionId, string userId, byte[] ticket, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>A user's active sessions, most recently seen first.</summary>
    Task<IReadOnlyList<UserSessionInfo>> ListActiveAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Ends one session; with <paramref name="userId"/>, only if it is that user's. False when there was no such active session.</summary>
    Task<bool> RevokeAsync(string sessionId, string? userId, CancellationToken cancellationToken);

    /// <summary>Ends every active session of <paramref name="userId"/> but <paramref name="exceptSessionId"/>; returns how many.</summary>
    Task<int> RevokeAllAsync(string userId, string? exceptSessionId, CancellationToken cancellationToken);

    /// <summary>Deletes sessions that expired or were ended; returns how many.</summary>
    Task<int> RemoveEndedAsync(CancellationToken cancellationToken);
}
