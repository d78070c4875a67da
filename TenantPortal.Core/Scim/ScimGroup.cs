using TenantPortal.Core.Common;

namespace TenantPortal.Core.Scim;

/// <summary>A group a directory pushed (SCIM <c>Group</c>); its members' roles follow <see cref="ScimGroupRoleMapping"/>.</summary>
public class ScimGroup : ITenantOwned
{
    /// <summary>Longest display name.</summary>
    public const int DisplayNameLength = 200;

    /// <summary>Primary key (the SCIM id).</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The group's name in the directory, e.g. <c>portal-admins</c>; unique in the tenant (case-insensitive, as stored lower-cased in <see cref="NormalizedName"/>).</summary>
    public string DisplayName { get; set; } = "";

    /// <summary><see cref="DisplayName"/> in lower case, for the unique index and the role mapping.</summary>
    public string NormalizedName { get; set; } = "";

    /// <summary>The directory's own id of the group.</summary>
    public string? ExternalId { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last change (name or members).</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Normalizes a group name for comparison: trimmed, lower case.</summary>
    public static string Normalize(string displayName) => displayName.Trim().ToLowerInvariant();
}
