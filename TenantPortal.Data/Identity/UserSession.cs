namespace TenantPortal.Data.Identity;

/// <summary>
/// One signed-in browser: the server-side half of the Identity cookie. The cookie holds only <see cref="Id"/> (protected);
/// the authentication ticket itself is kept here, protected with Data Protection, so that ending a session (sign-out,
/// a password or two-factor change, an operator's lock, a revoke) makes every copy of its cookie worthless at once.
/// Belongs to a user, not to a tenant.
/// </summary>
public class UserSession
{
    /// <summary>The session's key: random, URL-safe, the only thing the cookie carries.</summary>
    public string Id { get; set; } = "";

    /// <summary>The signed-in user.</summary>
    public string UserId { get; set; } = "";

    /// <summary>The serialized authentication ticket, protected with Data Protection.</summary>
    public byte[] Ticket { get; set; } = [];

    /// <summary>When the user signed in.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a request or a circuit event last came with this session (written at most once a minute).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>When the ticket expires (sliding: renewals move it on).</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When the session was ended (signed out, revoked); null while it is active.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The client's address when last seen.</summary>
    public string? IpAddress { get; set; }

    /// <summary>The browser's <c>User-Agent</c> at sign-in, shortened.</summary>
    public string? UserAgent { get; set; }
}
