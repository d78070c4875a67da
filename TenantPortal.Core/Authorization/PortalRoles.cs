namespace TenantPortal.Core.Authorization;

/// <summary>Identity role names (fleet-wide, not tenant roles).</summary>
public static class PortalRoles
{
    /// <summary>The SaaS's own staff: <c>/ops</c> and <c>/hangfire</c>.</summary>
    public const string Operator = "Operator";
}
