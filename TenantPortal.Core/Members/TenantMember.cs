using TenantPortal.Core.Common;

namespace TenantPortal.Core.Members;

/// <summary>A user's membership of a tenant, with a role.</summary>
public partial class TenantMember : ITenantOwned
{
    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The Identity user id.</summary>
    public string UserId { get; set; } = "";

    /// <summary>The member's role.</summary>
    public TenantRole Role { get; set; }

    /// <summary>When the user joined.</summary>
    public DateTimeOffset JoinedAt { get; set; }

    /// <summary>Who invited the user, when they joined by invitation.</summary>
    public string? InvitedByUserId { get; set; }
}
