namespace TenantPortal.Data.Services.ApiKeys;

/// <summary>A new key: the secret is here once and never again.</summary>
public sealed record CreatedApiKey(Guid Id, string Name, string Prefix, string Secret, IReadOnlyList<string> Scopes);
