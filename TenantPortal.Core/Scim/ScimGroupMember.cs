using TenantPortal.Core.Common;

namespace TenantPortal.Core.Scim;

/// <summary>
/// A member of a <see cref="ScimGroup"/>, by the membership's id (the SCIM user id). No foreign key to the membership:
/// SQL Server allows one cascade path from the tenant, which the group takes; rows of a removed member are ignored by
/// every read and deleted with the SCIM user or the group.
/// </summary>
public class ScimGroupMember : ITenantOwned
{
    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The group.</summary>
    public Guid GroupId { get; set; }

    /// <summary>The membership (<c>TenantMember.Id</c>).</summary>
    public Guid MemberId { get; set; }
}
