namespace TenantPortal.Core.Invitations;

/// <summary>The state of an invitation.</summary>
public enum InvitationStatus
{
    /// <summary>Sent, not yet answered.</summary>
    Pending = 0,
    /// <summary>Accepted: the invitee is a member.</summary>
    Accepted = 1,
    /// <summary>Withdrawn by an admin.</summary>
    Revoked = 2,
    /// <summary>Past its expiry.</summary>
    Expired = 3,
}
