namespace TenantPortal.Web.Security.Sso;

/// <summary>The names and paths of the one OpenID Connect scheme every tenant's single sign-on runs through.</summary>
public static class TenantSso
{
    /// <summary>The authentication scheme (no display name: it never shows among the external logins).</summary>
    public const string Scheme = "TenantSso";

    /// <summary>The claim, on the external cookie, naming the connection the sign-in came through.</summary>
    public const string ConnectionClaim = "tp_sso_connection";

    /// <summary>The item of the sign-in's state that names its connection (checked on the callback).</summary>
    public const string ConnectionItem = "tp_sso_connection";

    /// <summary>The item of the sign-in's state carrying the email typed on the log-in page (sent as <c>login_hint</c>).</summary>
    public const string LoginHintItem = "tp_login_hint";

    /// <summary>Where the log-in page sends someone whose email goes to a tenant's provider: <c>/Account/Sso/{connection}</c>.</summary>
    public const string StartPrefix = "/Account/Sso/";

    /// <summary>The callback of each connection: <c>/signin-oidc/{connection}</c>, so the request names its tenant before the state is read.</summary>
    public const string CallbackPrefix = "/signin-oidc/";

    /// <summary>Where the external sign-in lands to become a portal session.</summary>
    public const string CompletePath = "/Account/SsoComplete";

    /// <summary>The provider name of the external logins single sign-on records (<c>sso:{connection}</c>).</summary>
    public static string LoginProvider(Guid connectionId) => $"sso:{connectionId:N}";

    /// <summary>The start path of a connection.</summary>
    public static string StartPath(Guid connectionId) => $"{StartPrefix}{connectionId:N}";

    /// <summary>The callback path of a connection.</summary>
    public static string CallbackPath(Guid connectionId) => $"{CallbackPrefix}{connectionId:N}";

    /// <summary>The connection a request's path names (start or callback), or null.</summary>
    public static Guid? ConnectionOf(PathString path)
    {
        var value = path.Value;
        if (value is null)
            return null;
        foreach (var prefix in (string[])[StartPrefix, CallbackPrefix])
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && Guid.TryParseExact(value[prefix.Length..], "N", out var id))
                return id;
        }
        return null;
    }
}
