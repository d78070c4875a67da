using TenantPortal.Core.Members;

namespace TenantPortal.Data.Services.Members;

/// <summary>A member in the Users tab.</summary>
public sealed record MemberRow(string UserId, string Email, string? DisplayName, TenantRole Role, DateTimeOffset JoinedAt)
{
    /// <summary>When a directory suspended the membership (SCIM <c>active=false</c>); null while active.</summary>
    public DateTimeOffset? SuspendedAt { get; init; }
}
