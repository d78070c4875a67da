namespace TenantPortal.Data.Services.Scim;

/// <summary>A SCIM token as the Settings section lists it (never its secret).</summary>
public sealed record ScimTokenRow(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
