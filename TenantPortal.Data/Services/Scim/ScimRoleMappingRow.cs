using TenantPortal.Core.Members;

namespace TenantPortal.Data.Services.Scim;

/// <summary>A group-to-role mapping as the Settings section lists it, with whether the directory has pushed that group yet.</summary>
public sealed record ScimRoleMappingRow(Guid Id, string GroupName, TenantRole Role, bool GroupExists);
