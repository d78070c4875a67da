using TenantPortal.Core.Members;

namespace TenantPortal.Data.Services.Scim;

/// <summary>A member as a SCIM <c>User</c>: the id is the membership's, <c>userName</c> the account's email.</summary>
public sealed record ScimUserView(Guid Id, string UserName, string? ExternalId, string? GivenName, string? FamilyName, string? DisplayName, bool Active,
    TenantRole Role, IReadOnlyList<ScimGroupRef> Groups, DateTimeOffset Created, DateTimeOffset LastModified);
