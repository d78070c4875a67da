namespace TenantPortal.Data.Services.Sessions;

/// <summary>An active session as a store lists it (no ticket).</summary>
/// <param name="Id">The session's id.</param>
/// <param name="CreatedAt">When the user signed in.</param>
/// <param name="LastSeenAt">When it was last used (to the minute).</param>
/// <param name="ExpiresAt">When it expires unless renewed.</param>
/// <param name="IpAddress">The client's address when last seen.</param>
/// <param name="UserAgent">The browser's <c>User-Agent</c> at sign-in.</param>
public sealed record UserSessionInfo(string Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, string? IpAddress, string? UserAgent);
