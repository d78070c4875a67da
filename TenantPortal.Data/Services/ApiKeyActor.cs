namespace TenantPortal.Data.Services;

/// <summary>The API key an <see cref="Actor"/> acts through: the key's tenant, name, prefix and scopes.</summary>
/// <param name="KeyId">The key's id.</param>
/// <param name="TenantId">The tenant the key belongs to; the only tenant it can act on.</param>
/// <param name="Name">The key's name.</param>
/// <param name="Prefix">The key's visible prefix.</param>
/// <param name="Scopes">What the key may do.</param>
public sealed record ApiKeyActor(Guid KeyId, Guid TenantId, string Name, string Prefix, IReadOnlyList<string> Scopes);
