namespace TenantPortal.Core.Members;

/// <summary>
/// A membership as a directory (SCIM) sees it: linked once a SCIM client created or adopted it, with the directory's
/// external id and name, and suspended while the directory says the user is inactive. A suspended member keeps their
/// role and their seat (so reactivation never fails for lack of seats) but opens nothing of the tenant.
/// </summary>
public partial class TenantMember
{
    /// <summary>Longest given or family name kept from a directory.</summary>
    public const int DirectoryNameLength = 100;

    /// <summary>When the membership was suspended (the directory deactivated the user); null while active.</summary>
    public DateTimeOffset? SuspendedAt { get; private set; }

    /// <summary>When a SCIM client created or adopted the membership; null for a membership no directory manages.</summary>
    public DateTimeOffset? DirectoryLinkedAt { get; private set; }

    /// <summary>The directory's own id of the user (SCIM <c>externalId</c>), when it sent one.</summary>
    public string? ExternalId { get; private set; }

    /// <summary>The directory's given name of the user (SCIM <c>name.givenName</c>).</summary>
    public string? GivenName { get; private set; }

    /// <summary>The directory's family name of the user (SCIM <c>name.familyName</c>).</summary>
    public string? FamilyName { get; private set; }

    /// <summary>When the directory last changed the membership (SCIM <c>meta.lastModified</c>).</summary>
    public DateTimeOffset? DirectoryUpdatedAt { get; private set; }

    /// <summary>True while suspended.</summary>
    public bool IsSuspended => SuspendedAt is not null;

    /// <summary>True once a directory manages the membership.</summary>
    public bool IsDirectoryLinked => DirectoryLinkedAt is not null;

    /// <summary>A directory takes the membership over (created by it, or an existing member adopted).</summary>
    public void LinkToDirectory(string? externalId, string? givenName, string? familyName, DateTimeOffset now)
    {
        DirectoryLinkedAt ??= now;
        SetDirectoryProfile(externalId, givenName, familyName, now);
    }

    /// <summary>The directory's profile of the user, as it sent it last.</summary>
    public void SetDirectoryProfile(string? externalId, string? givenName, string? familyName, DateTimeOffset now)
    {
        ExternalId = externalId;
        GivenName = givenName;
        FamilyName = familyName;
        DirectoryUpdatedAt = now;
    }

    /// <summary>Suspends the membership; returns false when it already was.</summary>
    public bool Suspend(DateTimeOffset now)
    {
        if (SuspendedAt is not null)
            return false;
        SuspendedAt = now;
        DirectoryUpdatedAt = now;
        return true;
    }

    /// <summary>Restores a suspended membership with the role it had; returns false when it was not suspended.</summary>
    public bool Reactivate(DateTimeOffset now)
    {
        if (SuspendedAt is null)
            return false;
        SuspendedAt = null;
        DirectoryUpdatedAt = now;
        return true;
    }

    /// <summary>Changes the role as the directory's group mapping says; an Owner's role is never changed this way.</summary>
    public bool ApplyDirectoryRole(TenantRole role, DateTimeOffset now)
    {
        if (Role == TenantRole.Owner || role == TenantRole.Owner || Role == role)
            return false;
        Role = role;
        DirectoryUpdatedAt = now;
        return true;
    }
}
