namespace TenantPortal.Data.Services.Scim;

/// <summary>A SCIM <c>Group</c> with its members (the members still in the workspace).</summary>
public sealed record ScimGroupView(Guid Id, string DisplayName, string? ExternalId, IReadOnlyList<ScimMemberRef> Members, DateTimeOffset Created, DateTimeOffset LastModified);
