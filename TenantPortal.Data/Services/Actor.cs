namespace TenantPortal.Data.Services;

/// <summary>Who performs an operation: the signed-in user (id and how they are shown) and where the request came from.</summary>
/// <param name="UserId">The Identity user id.</param>
/// <param name="Display">How the actor appears in the audit log, usually the email.</param>
/// <param name="IpAddress">The client's address, when known.</param>
public sealed record Actor(string UserId, string Display, string? IpAddress = null);
