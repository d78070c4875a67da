using TenantPortal.Core.Common;

namespace TenantPortal.Core.ApiKeys;

/// <summary>A tenant API key. The secret is shown once; only its SHA-256 hash and a visible prefix are stored.</summary>
public class ApiKey : ITenantOwned
{
    /// <summary>Length of the visible prefix, e.g. <c>tp_live_ab12cd34</c>.</summary>
    public const int PrefixLength = 16;

    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>A name chosen by the admin.</summary>
    public string Name { get; set; } = "";

    /// <summary>The first characters of the key, shown in lists and used to find the key.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Hex SHA-256 of the whole key.</summary>
    public string SecretHash { get; set; } = "";

    /// <summary>Space-separated scopes (see <see cref="ApiKeyScopes"/>).</summary>
    public string Scopes { get; set; } = ApiKeyScopes.Default;

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who created it.</summary>
    public string CreatedByUserId { get; set; } = "";

    /// <summary>Last time it authenticated a request.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>When it was revoked; a revoked key authenticates nothing.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
