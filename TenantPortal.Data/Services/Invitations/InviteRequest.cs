using TenantPortal.Core.Members;

namespace TenantPortal.Data.Services.Invitations;

/// <summary>Who to invite, as what, and for how long (default 7 days).</summary>
public sealed record InviteRequest(string Email, TenantRole Role, int? ExpiresInDays = null)
{
    /// <summary>Longest allowed validity.</summary>
    public const int MaxDays = 30;
}
