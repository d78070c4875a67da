namespace TenantPortal.Core.Common;

/// <summary>The stable error codes shared by the services, the API problem bodies and the UI.</summary>
public static class ErrorCodes
{
    /// <summary>Not found, or not visible to the caller.</summary>
    public const string NotFound = "not_found";
    /// <summary>The caller's role does not allow it.</summary>
    public const string Forbidden = "forbidden";
    /// <summary>Bad input.</summary>
    public const string Invalid = "invalid";
    /// <summary>Conflicts with the current state.</summary>
    public const string Conflict = "conflict";
    /// <summary>The last owner of a tenant can't leave, be removed or demoted.</summary>
    public const string LastOwner = "last_owner";
    /// <summary>A role above the actor's own.</summary>
    public const string RoleEscalation = "role_escalation";
    /// <summary>The plan's seat quota is full.</summary>
    public const string SeatLimitReached = "seat_limit_reached";
}
