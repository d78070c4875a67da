using TenantPortal.Core.Members;

namespace TenantPortal.Web.Components.Tenant;

/// <summary>What each role may do, in one sentence: shown where a role is chosen (inviting, changing a role).</summary>
public static class RoleDescriptions
{
    /// <summary>The sentence for <paramref name="role"/>.</summary>
    public static string Of(TenantRole role) => role switch
    {
        TenantRole.Owner => "Full control, including billing, deleting and transferring the workspace.",
        TenantRole.Admin => "Manages the team, settings and API keys; sees billing and the audit log.",
        TenantRole.Member => "Sees the overview, usage and the team.",
        _ => "Read-only: the overview and usage.",
    };
}
