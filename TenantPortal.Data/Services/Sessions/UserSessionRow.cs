namespace TenantPortal.Data.Services.Sessions;

/// <summary>A session as its user sees it in Account → Sessions.</summary>
/// <param name="Id">The session's id (what a revoke names).</param>
/// <param name="Device">Browser and system from the user agent, e.g. "Firefox on Linux".</param>
/// <param name="UserAgent">The user agent as sent, shortened.</param>
/// <param name="IpAddress">The client's address when last seen.</param>
/// <param name="SignedInAt">When the user signed in.</param>
/// <param name="LastSeenAt">When the session was last used (to the minute).</param>
/// <param name="IsCurrent">True for the session of the browser that asks.</param>
public sealed record UserSessionRow(string Id, string Device, string? UserAgent, string? IpAddress, DateTimeOffset SignedInAt, DateTimeOffset LastSeenAt, bool IsCurrent);
