using TenantPortal.Core.Members;

namespace TenantPortal.Data.Services.Invitations;

/// <summary>What the accept page shows before the invitee accepts.</summary>
public sealed record InvitationPreview(string TenantName, string TenantSlug, string Email, TenantRole Role, DateTimeOffset ExpiresAt);
