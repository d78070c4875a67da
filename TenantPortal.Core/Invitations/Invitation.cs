using TenantPortal.Core.Common;
using TenantPortal.Core.Members;

namespace TenantPortal.Core.Invitations;

/// <summary>An invitation to join a tenant. Only the SHA-256 hash of its token is stored.</summary>
public class Invitation : ITenantOwned
{
    /// <summary>Default lifetime of an invitation.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(7);

    /// <summary>Primary key.</summary>
    public Guid Id { get; set; } = Guid.NewGuid();

    /// <inheritdoc />
    public Guid TenantId { get; set; }

    /// <summary>The invitee's email; accepting requires the signed-in user's email to match.</summary>
    public string Email { get; set; } = "";

    /// <summary>The role the invitee gets.</summary>
    public TenantRole Role { get; set; }

    /// <summary>Hex SHA-256 of the token sent by email.</summary>
    public string TokenHash { get; set; } = "";

    /// <summary>State.</summary>
    public InvitationStatus Status { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Expiry time.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Who sent it.</summary>
    public string InvitedByUserId { get; set; } = "";

    /// <summary>When it was last (re)sent.</summary>
    public DateTimeOffset LastSentAt { get; set; }

    /// <summary>How many times it was sent.</summary>
    public int SendCount { get; set; }

    /// <summary>When it was accepted, revoked or expired.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The user who accepted it.</summary>
    public string? AcceptedByUserId { get; set; }

    /// <summary>True while the invitation can still be accepted at <paramref name="now"/>.</summary>
    public bool IsOpen(DateTimeOffset now) => Status == InvitationStatus.Pending && now < ExpiresAt;
}
