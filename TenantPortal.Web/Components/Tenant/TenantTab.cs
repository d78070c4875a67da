namespace TenantPortal.Web.Components.Tenant;

/// <summary>The tabs of a tenant's area; each has its own address under <c>/t/{slug}</c>.</summary>
public enum TenantTab
{
    /// <summary><c>/t/{slug}</c>.</summary>
    Overview,
    /// <summary><c>/t/{slug}/usage</c>.</summary>
    Usage,
    /// <summary><c>/t/{slug}/users</c>.</summary>
    Users,
    /// <summary><c>/t/{slug}/billing</c>.</summary>
    Billing,
    /// <summary><c>/t/{slug}/settings</c>.</summary>
    Settings,
}
