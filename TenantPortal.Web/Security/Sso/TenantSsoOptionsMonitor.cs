using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace TenantPortal.Web.Security.Sso;

/// <summary>
/// The options of the <see cref="TenantSso.Scheme"/> handler for the current request: the tenant's connection its path
/// names (resolved by <see cref="TenantSsoMiddleware"/>), or inactive options on every other request (the handler then
/// handles nothing). Scoped: each request sees its own tenant's.
/// </summary>
public sealed class TenantSsoOptionsMonitor(TenantSsoRequest request) : IOptionsMonitor<OpenIdConnectOptions>
{
    // Never used to talk to a provider: the handler answers no request and refuses a challenge while inactive.
    private static readonly OpenIdConnectOptions Inactive = new() { CallbackPath = TenantSso.CallbackPrefix + "none" };

    /// <inheritdoc />
    public OpenIdConnectOptions CurrentValue => Get(TenantSso.Scheme);

    /// <inheritdoc />
    public OpenIdConnectOptions Get(string? name) => request.Options ?? Inactive;

    /// <inheritdoc />
    public IDisposable? OnChange(Action<OpenIdConnectOptions, string?> listener) => null;
}
