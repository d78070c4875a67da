namespace TenantPortal.Web.Security;

/// <summary>Authorization policy names.</summary>
public static class PortalPolicies
{
    /// <summary>Signed in with the Operator role: <c>/ops</c> and <c>/hangfire</c>.</summary>
    public const string Operator = "Operator";
}
