namespace TenantPortal.Data.Services.Sso;

/// <summary>What "require SSO" says about a user's password log-in.</summary>
/// <param name="BlockedBy">A tenant requiring SSO where the user is a member below Owner: no password (null when none).</param>
/// <param name="BlockedByConnection">That tenant's connection, to continue with SSO.</param>
/// <param name="BreakGlassTenants">Tenants requiring SSO the user owns: the password works, and is audited there.</param>
public sealed record SsoPasswordRule(string? BlockedBy, Guid? BlockedByConnection, IReadOnlyList<Guid> BreakGlassTenants)
{
    /// <summary>No tenant of the user requires SSO.</summary>
    public static readonly SsoPasswordRule None = new(null, null, []);
}
