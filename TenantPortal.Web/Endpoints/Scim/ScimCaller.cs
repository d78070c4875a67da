using TenantPortal.Data.Services.Scim;

namespace TenantPortal.Web.Endpoints.Scim;

/// <summary>The SCIM token a request authenticated with, kept on the request by <see cref="ScimAuthenticationHandler"/>.</summary>
public static class ScimCaller
{
    private const string ItemKey = "scim-token";

    /// <summary>Keeps the token's identity on the request.</summary>
    public static void Set(HttpContext http, ScimTokenIdentity identity) => http.Items[ItemKey] = identity;

    /// <summary>The token's identity (the group's policy guarantees one).</summary>
    public static ScimTokenIdentity Identity(HttpContext http) =>
        http.Items[ItemKey] as ScimTokenIdentity ?? throw new InvalidOperationException("No SCIM token authenticated this request.");

    /// <summary>The caller's address, for the audit log.</summary>
    public static string? IpAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();
}
