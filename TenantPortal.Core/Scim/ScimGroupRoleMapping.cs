using TenantPortal.Core.Common;
using TenantPortal.Core.Members;

namespace TenantPortal.Core.Scim;

/// <summary>An admin's rule: members of the directory group named <see cref="GroupName"/> get <see cref="Role"/> (never Owner).</summary>
public class ScimGroupRoleMapping : ITenantOwned
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The group's display name, normalized (<see cref="ScimGroup.Normalize"/>); the group need not exist yet.</summary>
    public string GroupName { get; set; } = "";

    /// <summary>Admin, Member or Viewer.</summary>
    public TenantRole Role { get; set; }

    /// <summary>When it was set.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
