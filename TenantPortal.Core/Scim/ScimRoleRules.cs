using TenantPortal.Core.Members;

namespace TenantPortal.Core.Scim;

/// <summary>How a directory's groups decide a member's role.</summary>
public static class ScimRoleRules
{
    /// <summary>The role of a member in no mapped group.</summary>
    public const TenantRole DefaultRole = TenantRole.Member;

    /// <summary>The roles a mapping may give.</summary>
    public static readonly IReadOnlyList<TenantRole> MappableRoles = [TenantRole.Admin, TenantRole.Member, TenantRole.Viewer];

    /// <summary>
    /// The highest role mapped to any of <paramref name="groupNames"/> (normalized), else <see cref="DefaultRole"/>.
    /// Never Owner: an Owner's role is not the directory's to change.
    /// </summary>
    public static TenantRole RoleFor(IEnumerable<string> groupNames, IReadOnlyDictionary<string, TenantRole> mappings)
    {
        TenantRole? best = null;
        foreach (var name in groupNames)
        {
            if (mappings.TryGetValue(name, out var role) && role != TenantRole.Owner && (best is null || role > best))
                best = role;
        }
        return best ?? DefaultRole;
    }
}
