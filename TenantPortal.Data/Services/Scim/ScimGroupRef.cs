namespace TenantPortal.Data.Services.Scim;

/// <summary>A group a user belongs to, as the user's <c>groups</c> attribute lists it.</summary>
public sealed record ScimGroupRef(Guid Id, string DisplayName);
