namespace TenantPortal.Core.Members;

/// <summary>A member's role in a tenant; the numeric order is the rank (Owner &gt; Admin &gt; Member &gt; Viewer).</summary>
public enum TenantRole
{
    /// <summary>Read-only: overview and usage.</summary>
    Viewer = 0,
    /// <summary>Also sees the team.</summary>
    Member = 1,
    /// <summary>Manages the team, settings, API keys; sees billing and the audit log.</summary>
    Admin = 2,
    /// <summary>Also subscribes, changes plan, cancels, deletes and transfers the tenant.</summary>
    Owner = 3,
}
