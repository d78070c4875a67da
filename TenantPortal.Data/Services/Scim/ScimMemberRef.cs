namespace TenantPortal.Data.Services.Scim;

/// <summary>A group's member: the SCIM user id and its userName.</summary>
public sealed record ScimMemberRef(Guid Id, string UserName);
