namespace TenantPortal.Data.Services.Scim;

/// <summary>
/// The effect of a SCIM PATCH of a group, in the order applied: a new name (when <see cref="RenameTo"/> is set), all
/// members removed (<see cref="RemoveAll"/>), members replaced (<see cref="ReplaceMembers"/>), removed, added.
/// </summary>
public sealed record ScimGroupPatch(string? RenameTo, string? ExternalId, bool SetExternalId, bool RemoveAll, IReadOnlyList<Guid>? ReplaceMembers,
    IReadOnlyList<Guid> Remove, IReadOnlyList<Guid> Add);
