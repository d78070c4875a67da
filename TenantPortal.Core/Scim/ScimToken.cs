using TenantPortal.Core.Common;

namespace TenantPortal.Core.Scim;

/// <summary>
/// A tenant's SCIM token: the bearer secret a directory (Okta, Entra ID) provisions the tenant's members with. Shown
/// once; only its SHA-256 hash and a visible prefix are stored, as for API keys.
/// </summary>
public class ScimToken : ITenantOwned
{
    /// <summary>What every token starts with.</summary>
    public const string SecretPrefix = "tp_scim_";

    /// <summary>Length of the visible prefix, e.g. <c>tp_scim_ab12cd34</c>.</summary>
    public const int PrefixLength = 16;

    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>A name chosen by the admin, e.g. "Okta".</summary>
    public string Name { get; set; } = "";

    /// <summary>The first characters of the token, shown in lists and used to find it.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Hex SHA-256 of the whole token.</summary>
    public string SecretHash { get; set; } = "";

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who created it.</summary>
    public string CreatedByUserId { get; set; } = "";

    /// <summary>Last time it authenticated a request (written at most once a minute).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>When it was revoked; a revoked token authenticates nothing.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
