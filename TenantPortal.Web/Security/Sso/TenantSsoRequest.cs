using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using TenantPortal.Data.Services.Sso;

namespace TenantPortal.Web.Security.Sso;

/// <summary>The connection the current request's path names, resolved before authentication runs (one per request).</summary>
public sealed class TenantSsoRequest
{
    /// <summary>The connection, or null when the request names none (or one that does not apply).</summary>
    public SsoClient? Client { get; private set; }

    /// <summary>Its handler options, or null.</summary>
    public OpenIdConnectOptions? Options { get; private set; }

    /// <summary>True when the path named a connection, whether or not it applies.</summary>
    public bool Named { get; private set; }

    /// <summary>Records what <see cref="TenantSsoMiddleware"/> found.</summary>
    public void Resolve(bool named, SsoClient? client, OpenIdConnectOptions? options) => (Named, Client, Options) = (named, client, options);
}
