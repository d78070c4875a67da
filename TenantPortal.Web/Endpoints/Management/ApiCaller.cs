using TenantPortal.Data.Services;
using TenantPortal.Data.Services.ApiKeys;

namespace TenantPortal.Web.Endpoints.Management;

/// <summary>The API key behind a request: kept on the request by the authentication handler, turned into the actor services check.</summary>
public static class ApiCaller
{
    private static readonly object ItemKey = new();

    /// <summary>Remembers the key a request authenticated with.</summary>
    public static void Set(HttpContext http, ApiKeyIdentity identity) => http.Items[ItemKey] = identity;

    /// <summary>The key the request authenticated with.</summary>
    public static ApiKeyIdentity Identity(HttpContext http) =>
        http.Items[ItemKey] as ApiKeyIdentity ?? throw new InvalidOperationException("The request was not authenticated with an API key.");

    /// <summary>The actor of a request made with an API key: the key (an Admin of its tenant within its scopes) and its creator.</summary>
    public static Actor Actor(HttpContext http) => Identity(http).ToActor(http.Connection.RemoteIpAddress?.ToString());
}
