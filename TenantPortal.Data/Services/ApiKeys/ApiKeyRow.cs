namespace TenantPortal.Data.Services.ApiKeys;

/// <summary>A key in the list: never its secret.</summary>
public sealed record ApiKeyRow(Guid Id, string Name, string Prefix, string Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
