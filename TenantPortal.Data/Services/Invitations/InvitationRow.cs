using TenantPortal.Core.Members;

namespace TenantPortal.Data.Services.Invitations;

/// <summary>A pending invitation in the Users tab.</summary>
public sealed record InvitationRow(Guid Id, string Email, TenantRole Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset LastSentAt, int SendCount);
