namespace TenantPortal.Web.Security;

/// <summary>Authorization policy names.</summary>
public static class PortalPolicies
{
    /// <summary>Signed in with the Operator role: <c>/ops</c> and <c>/hangfire</c>.</summary>
    public const string Operator = "Operator";

    /// <summary>An API call authenticated by a tenant API key: the key's tenant is the current tenant.</summary>
    public const string ApiKey = "ApiKey";

    /// <summary>The policy of an API scope: an API key that carries <paramref name="scope"/>.</summary>
    public static string Scope(string scope) => ScopePrefix + scope;

    /// <summary>What the name of every scope policy starts with.</summary>
    public const string ScopePrefix = "ApiScope:";
}
