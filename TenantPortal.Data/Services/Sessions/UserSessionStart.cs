namespace TenantPortal.Data.Services.Sessions;

/// <summary>What a new session is created with.</summary>
/// <param name="UserId">The signed-in user.</param>
/// <param name="Ticket">The protected, serialized authentication ticket.</param>
/// <param name="ExpiresAt">When the ticket expires.</param>
/// <param name="IpAddress">The client's address, when known.</param>
/// <param name="UserAgent">The browser's <c>User-Agent</c>, when sent.</param>
public sealed record UserSessionStart(string UserId, byte[] Ticket, DateTimeOffset ExpiresAt, string? IpAddress, string? UserAgent);
